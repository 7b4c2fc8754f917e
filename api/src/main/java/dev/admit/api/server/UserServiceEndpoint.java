package dev.admit.api.server;

import com.google.protobuf.Timestamp;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.admit.api.security.AccessPolicy;
import dev.admit.api.security.AuthenticationInterceptor;
import dev.admit.api.security.Caller;
import dev.admit.api.security.UserAction;
import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.core.api.PasswordVerification;
import dev.admit.core.api.UserAuthenticationMethods;
import dev.admit.core.api.UserPassword;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasswordResetDelivery;
import dev.admit.domain.message.RequestPasswordResetResult;
import dev.admit.domain.message.WriteDetails;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.Username;
import dev.admit.projection.UserView;
import dev.admit.wire.object.v2.Details;
import dev.admit.wire.object.v2.ListDetails;
import dev.admit.wire.user.v2.AddHumanUserRequest;
import dev.admit.wire.user.v2.AddHumanUserResponse;
import dev.admit.wire.user.v2.AuthenticationMethodType;
import dev.admit.wire.user.v2.CreateInviteCodeRequest;
import dev.admit.wire.user.v2.CreateInviteCodeResponse;
import dev.admit.wire.user.v2.GetUserByIDRequest;
import dev.admit.wire.user.v2.GetUserByIDResponse;
import dev.admit.wire.user.v2.HumanEmail;
import dev.admit.wire.user.v2.HumanProfile;
import dev.admit.wire.user.v2.HumanUser;
import dev.admit.wire.user.v2.ListAuthenticationMethodTypesRequest;
import dev.admit.wire.user.v2.ListAuthenticationMethodTypesResponse;
import dev.admit.wire.user.v2.NotificationType;
import dev.admit.wire.user.v2.PasswordResetRequest;
import dev.admit.wire.user.v2.PasswordResetResponse;
import dev.admit.wire.user.v2.ResendInviteCodeRequest;
import dev.admit.wire.user.v2.ResendInviteCodeResponse;
import dev.admit.wire.user.v2.SendPasswordResetLink;
import dev.admit.wire.user.v2.SetHumanEmail;
import dev.admit.wire.user.v2.SetHumanProfile;
import dev.admit.wire.user.v2.SetPasswordRequest;
import dev.admit.wire.user.v2.SetPasswordResponse;
import dev.admit.wire.user.v2.User;
import dev.admit.wire.user.v2.UserServiceGrpc;
import dev.admit.wire.user.v2.UserState;
import dev.admit.wire.user.v2.VerifyInviteCodeRequest;
import dev.admit.wire.user.v2.VerifyInviteCodeResponse;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code zitadel.user.v2.UserService} over Admit's commands and queries. Each RPC checks the request against the wire
 * contract and the caller's permission (in the order behaviour.md gives for it; for the user-scoped calls the limits
 * come first), then hands over to the domain, whose rules decide the rest. No password, hash or code is ever part of
 * an error message: validation names the field and its limit only.
 */
public final class UserServiceEndpoint extends UserServiceGrpc.UserServiceImplBase {

    private final Admit admit;
    private final AccessPolicy accessPolicy;

    public UserServiceEndpoint(Admit admit, AccessPolicy accessPolicy) {
        this.admit = admit;
        this.accessPolicy = accessPolicy;
    }

    @Override
    public void addHumanUser(AddHumanUserRequest request, StreamObserver<AddHumanUserResponse> response) {
        answer(response, () -> {
            Caller caller = permit(UserAction.ADD_USER, null);
            String message = "AddHumanUserRequest";
            if (request.hasUserId()) {
                RequestValidation.length(message, "user_id", request.getUserId(), 1, 200);
            }
            if (request.hasUsername()) {
                RequestValidation.length(message, "username", request.getUsername(), 1, 200);
            }
            RequestValidation.required(message, "profile", request.hasProfile());
            SetHumanProfile profile = request.getProfile();
            RequestValidation.length("SetHumanProfile", "given_name", profile.getGivenName(), 1, 200);
            RequestValidation.length("SetHumanProfile", "family_name", profile.getFamilyName(), 1, 200);
            RequestValidation.length("SetHumanProfile", "nick_name", profile.getNickName(), 0, 200);
            RequestValidation.length("SetHumanProfile", "display_name", profile.getDisplayName(), 0, 200);
            RequestValidation.length("SetHumanProfile", "preferred_language", profile.getPreferredLanguage(), 0, 10);
            RequestValidation.required(message, "email", request.hasEmail());
            SetHumanEmail email = request.getEmail();
            RequestValidation.email("SetHumanEmail", "email", email.getEmail());
            if (request.hasTotpSecret()) {
                RequestValidation.length(message, "totp_secret", request.getTotpSecret(), 1, 200);
            }
            if (request.getOrganization().getOrgCase() == dev.admit.wire.object.v2.Organization.OrgCase.ORG_DOMAIN) {
                throw WireErrors.invalidArgument("organization.org_domain is not supported: give organization.org_id")
                        .exception();
            }
            if (request.hasPassword()) {
                RequestValidation.length(
                        "Password", "password", request.getPassword().getPassword(), 1, 200);
            }
            if (request.hasHashedPassword()) {
                RequestValidation.length(
                        "HashedPassword", "hash", request.getHashedPassword().getHash(), 1, 200);
            }
            RequestValidation.unsupported("idp_links", request.getIdpLinksCount() > 0);
            RequestValidation.unsupported("totp_secret", request.hasTotpSecret());
            RequestValidation.unsupported("phone", request.hasPhone());
            RequestValidation.unsupported("metadata", request.getMetadataCount() > 0);
            RequestValidation.unsupported("email.send_code", email.hasSendCode());
            RequestValidation.unsupported("email.return_code", email.hasReturnCode());
            RequestValidation.unsupported("profile.nick_name", profile.hasNickName());
            RequestValidation.unsupported("profile.gender", profile.hasGender());
            OrgId org = organizationFor(caller, request);
            NewHumanUser user = new NewHumanUser(
                    request.hasUserId() ? new UserId(request.getUserId()) : null,
                    org,
                    request.hasUsername() ? new Username(request.getUsername()) : null,
                    profile.getGivenName(),
                    profile.getFamilyName(),
                    profile.hasDisplayName() ? profile.getDisplayName() : null,
                    profile.hasPreferredLanguage() ? profile.getPreferredLanguage() : null,
                    new EmailAddress(email.getEmail()),
                    email.getIsVerified());
            if (request.hasPassword()) {
                user = user.withPassword(UserPassword.plain(
                        request.getPassword().getPassword(),
                        request.getPassword().getChangeRequired()));
            } else if (request.hasHashedPassword()) {
                user = user.withPassword(UserPassword.hashed(
                        request.getHashedPassword().getHash(),
                        request.getHashedPassword().getChangeRequired()));
            }
            AddHumanUserResult result = admit.addHumanUser(OrgScope.only(org), user);
            return AddHumanUserResponse.newBuilder()
                    .setUserId(result.userId().value())
                    .setDetails(details(result.details()))
                    .build();
        });
    }

    @Override
    public void getUserByID(GetUserByIDRequest request, StreamObserver<GetUserByIDResponse> response) {
        answer(response, () -> {
            String rawUserId = userIdOf(request.getUserId());
            RequestValidation.length("GetUserByIDRequest", "user_id", rawUserId, 1, 200);
            UserId userId = new UserId(rawUserId);
            Caller caller = permit(UserAction.READ_USER, userId);
            UserView view = admit.findUser(caller.orgScope(), userId)
                    .orElseThrow(() -> WireErrors.domain(dev.admit.domain.error.ErrorCatalogue.USER_NOT_FOUND)
                            .exception());
            Details details = Details.newBuilder()
                    .setSequence(view.details().sequence())
                    .setChangeDate(timestamp(view.details().changeDate()))
                    .setResourceOwner(view.orgId().value())
                    .setCreationDate(timestamp(view.creationDate()))
                    .build();
            HumanProfile.Builder profile =
                    HumanProfile.newBuilder().setGivenName(view.givenName()).setFamilyName(view.familyName());
            if (view.displayName() != null) {
                profile.setDisplayName(view.displayName());
            }
            if (view.preferredLanguage() != null) {
                profile.setPreferredLanguage(view.preferredLanguage());
            }
            HumanUser human = HumanUser.newBuilder()
                    .setUserId(view.userId().value())
                    .setState(UserState.USER_STATE_ACTIVE)
                    .setUsername(view.username())
                    .addLoginNames(view.username())
                    .setPreferredLoginName(view.username())
                    .setProfile(profile)
                    .setEmail(HumanEmail.newBuilder().setEmail(view.email()).setIsVerified(view.emailVerified()))
                    .setPasswordChangeRequired(view.passwordChangeRequired())
                    .build();
            if (view.passwordChanged() != null) {
                human = human.toBuilder()
                        .setPasswordChanged(timestamp(view.passwordChanged()))
                        .build();
            }
            User user = User.newBuilder()
                    .setUserId(view.userId().value())
                    .setDetails(details)
                    .setState(UserState.USER_STATE_ACTIVE)
                    .setUsername(view.username())
                    .addLoginNames(view.username())
                    .setPreferredLoginName(view.username())
                    .setHuman(human)
                    .build();
            return GetUserByIDResponse.newBuilder()
                    .setDetails(details)
                    .setUser(user)
                    .build();
        });
    }

    @Override
    public void setPassword(SetPasswordRequest request, StreamObserver<SetPasswordResponse> response) {
        answer(response, () -> {
            String message = "SetPasswordRequest";
            UserId userId = validUserId(message, userIdOf(request.getUserId()));
            RequestValidation.length(
                    "Password", "password", request.getNewPassword().getPassword(), 1, 200);
            PasswordVerification verification = switch (request.getVerificationCase()) {
                case CURRENT_PASSWORD -> {
                    RequestValidation.length(message, "current_password", request.getCurrentPassword(), 1, 200);
                    yield PasswordVerification.currentPassword(request.getCurrentPassword());
                }
                case VERIFICATION_CODE -> {
                    RequestValidation.length(message, "verification_code", request.getVerificationCode(), 1, 20);
                    yield PasswordVerification.resetCode(request.getVerificationCode());
                }
                case VERIFICATION_NOT_SET -> PasswordVerification.none();
            };
            Caller caller = permit(UserAction.SET_PASSWORD, userId);
            WriteDetails changed = admit.setPassword(
                    caller.orgScope(),
                    userId,
                    request.getNewPassword().getPassword(),
                    request.getNewPassword().getChangeRequired(),
                    verification);
            return SetPasswordResponse.newBuilder().setDetails(details(changed)).build();
        });
    }

    @Override
    public void passwordReset(PasswordResetRequest request, StreamObserver<PasswordResetResponse> response) {
        answer(response, () -> {
            UserId userId = validUserId("PasswordResetRequest", userIdOf(request.getUserId()));
            SendPasswordResetLink link = request.getSendLink();
            if (link.hasUrlTemplate()) {
                RequestValidation.length("SendPasswordResetLink", "url_template", link.getUrlTemplate(), 1, 200);
            }
            Caller caller = permit(UserAction.REQUEST_PASSWORD_RESET, userId);
            PasswordResetDelivery delivery = request.hasReturnCode()
                    ? new PasswordResetDelivery.ReturnCode()
                    : new PasswordResetDelivery.SendLink(
                            // as in ZITADEL, an unspecified type (or no medium at all) is email
                            link.getNotificationType() == NotificationType.NOTIFICATION_TYPE_SMS
                                    ? PasswordResetDelivery.NotificationType.SMS
                                    : PasswordResetDelivery.NotificationType.EMAIL,
                            link.hasUrlTemplate() ? link.getUrlTemplate() : null);
            RequestPasswordResetResult result = admit.requestPasswordReset(caller.orgScope(), userId, delivery);
            PasswordResetResponse.Builder answer =
                    PasswordResetResponse.newBuilder().setDetails(details(result.details()));
            result.returnedCode().ifPresent(code -> answer.setVerificationCode(code.reveal()));
            return answer.build();
        });
    }

    @Override
    public void listAuthenticationMethodTypes(
            ListAuthenticationMethodTypesRequest request,
            StreamObserver<ListAuthenticationMethodTypesResponse> response) {
        answer(response, () -> {
            String message = "ListAuthenticationMethodTypesRequest";
            UserId userId = validUserId(message, userIdOf(request.getUserId()));
            if (request.hasDomainQuery()) {
                RequestValidation.length(
                        "DomainQuery", "domain", request.getDomainQuery().getDomain(), 1, 200);
            }
            Caller caller = permit(UserAction.LIST_AUTHENTICATION_METHODS, userId);
            UserAuthenticationMethods methods = admit.authenticationMethods(caller.orgScope(), userId)
                    .orElseThrow(() -> WireErrors.domain(dev.admit.domain.error.ErrorCatalogue.USER_NOT_FOUND)
                            .exception());
            // Admit's passkeys carry no domain: a domain query lists them only with include_without_domain, as
            // ZITADEL does for passkeys registered without one
            boolean passkeysListed =
                    !request.hasDomainQuery() || request.getDomainQuery().getIncludeWithoutDomain();
            ListAuthenticationMethodTypesResponse.Builder answer = ListAuthenticationMethodTypesResponse.newBuilder();
            for (UserView.AuthenticationMethod method : methods.types()) {
                switch (method) {
                    case PASSWORD ->
                        answer.addAuthMethodTypes(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_PASSWORD);
                    case PASSKEY -> {
                        if (passkeysListed) {
                            answer.addAuthMethodTypes(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_PASSKEY);
                        }
                    }
                    case IDP -> answer.addAuthMethodTypes(AuthenticationMethodType.AUTHENTICATION_METHOD_TYPE_IDP);
                }
            }
            return answer.setDetails(ListDetails.newBuilder()
                            .setTotalResult(answer.getAuthMethodTypesCount())
                            .setProcessedSequence(methods.details().sequence())
                            .setTimestamp(timestamp(methods.details().changeDate())))
                    .build();
        });
    }

    @Override
    public void createInviteCode(CreateInviteCodeRequest request, StreamObserver<CreateInviteCodeResponse> response) {
        answer(response, () -> {
            UserId userId = validUserId("CreateInviteCodeRequest", userIdOf(request.getUserId()));
            var send = request.getSendCode();
            if (send.hasUrlTemplate()) {
                RequestValidation.length("SendInviteCode", "url_template", send.getUrlTemplate(), 1, 200);
            }
            if (send.hasApplicationName()) {
                RequestValidation.length("SendInviteCode", "application_name", send.getApplicationName(), 1, 200);
            }
            Caller caller = permit(UserAction.CREATE_INVITE_CODE, userId);
            InviteDelivery delivery = request.hasReturnCode()
                    ? new InviteDelivery.ReturnCode()
                    : new InviteDelivery.SendCode(
                            send.hasUrlTemplate() ? send.getUrlTemplate() : null,
                            send.hasApplicationName() ? send.getApplicationName() : null);
            CreateInviteCodeResult result = admit.createInviteCode(caller.orgScope(), userId, delivery);
            CreateInviteCodeResponse.Builder answer =
                    CreateInviteCodeResponse.newBuilder().setDetails(details(result.details()));
            result.returnedCode().ifPresent(code -> answer.setInviteCode(code.reveal()));
            return answer.build();
        });
    }

    @Override
    public void resendInviteCode(ResendInviteCodeRequest request, StreamObserver<ResendInviteCodeResponse> response) {
        answer(response, () -> {
            UserId userId = validUserId("ResendInviteCodeRequest", userIdOf(request.getUserId()));
            Caller caller = permit(UserAction.RESEND_INVITE_CODE, userId);
            WriteDetails result = admit.resendInviteCode(caller.orgScope(), userId);
            return ResendInviteCodeResponse.newBuilder()
                    .setDetails(details(result))
                    .build();
        });
    }

    @Override
    public void verifyInviteCode(VerifyInviteCodeRequest request, StreamObserver<VerifyInviteCodeResponse> response) {
        answer(response, () -> {
            Caller caller = permit(UserAction.VERIFY_INVITE_CODE, null);
            String rawUserId = userIdOf(request.getUserId());
            RequestValidation.length("VerifyInviteCodeRequest", "user_id", rawUserId, 1, 200);
            RequestValidation.length(
                    "VerifyInviteCodeRequest", "verification_code", request.getVerificationCode(), 1, 20);
            UserId userId = new UserId(rawUserId);
            WriteDetails verified = admit.verifyInviteCode(caller.orgScope(), userId, request.getVerificationCode());
            return VerifyInviteCodeResponse.newBuilder()
                    .setDetails(details(verified))
                    .build();
        });
    }

    /**
     * The caller, if the access policy lets it act; otherwise PERMISSION_DENIED. The "is the user itself" rules
     * compare against the raw id, so they work before the id is validated.
     */
    private Caller permit(UserAction action, UserId target) {
        Caller caller = AuthenticationInterceptor.CALLER.get();
        if (caller == null) {
            throw WireErrors.unauthenticated().exception();
        }
        if (!accessPolicy.permits(caller, action, target)) {
            throw WireErrors.permissionDenied().exception();
        }
        return caller;
    }

    /**
     * The user id a call is about: on a JSON route the one in the path, whatever the query string or body say
     * (behaviour.md §6); on gRPC the message's.
     */
    private static String userIdOf(String fromMessage) {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        String fromPath = ctx == null ? null : ctx.pathParam("user_id");
        return fromPath != null ? fromPath : fromMessage;
    }

    private static UserId validUserId(String message, String userId) {
        RequestValidation.length(message, "user_id", userId, 1, 200);
        return new UserId(userId);
    }

    /** The organization a new user goes to: the token's, or the requested one when the token is not limited. */
    private static OrgId organizationFor(Caller caller, AddHumanUserRequest request) {
        String requested = request.getOrganization().getOrgId();
        if (caller.organization().isPresent()) {
            OrgId own = caller.organization().get();
            if (!requested.isEmpty() && !requested.equals(own.value())) {
                throw WireErrors.permissionDenied().exception();
            }
            return own;
        }
        RequestValidation.required("Organization", "org_id", !requested.isEmpty());
        RequestValidation.length("Organization", "org_id", requested, 1, 200);
        return new OrgId(requested);
    }

    private static Details details(WriteDetails details) {
        return Details.newBuilder()
                .setSequence(details.sequence())
                .setChangeDate(timestamp(details.changeDate()))
                .setResourceOwner(details.resourceOwner().value())
                .build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    private static <T> void answer(StreamObserver<T> response, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException failure) {
            response.onError(WireErrors.from(failure).exception());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
