package dev.admit.test;

import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;

/** The ids the builders use unless told otherwise. */
public final class TestIds {

    public static final UserId USER = new UserId("300000000000000001");
    public static final OrgId ORG = new OrgId("100000000000000001");
    public static final OrgId OTHER_ORG = new OrgId("100000000000000002");

    private TestIds() {}
}
