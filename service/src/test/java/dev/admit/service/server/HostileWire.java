package dev.admit.service.server;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Real clients for hostile requests against the running service, and the raw material they send: JSON bodies with
 * placeholders, raw bytes, gRPC frames and hand-made protobuf encodings, bearer tokens good and bad.
 *
 * <p>HTTP/1.1 JSON goes through {@link HttpClient} (it sends paths exactly as given); HTTP/2 cleartext (JSON and
 * gRPC) and gRPC-web go through Armeria's {@link WebClient}, which sends whatever headers and bytes it is given.
 */
final class HostileWire implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What came back: the HTTP status, headers and trailers (lower-case names) and the body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The gRPC status: from the trailers, the headers (trailers-only) or a gRPC-web trailer frame. */
        Integer grpcStatus() {
            String value = header("grpc-status");
            if (value == null) {
                value = webTrailers().get("grpc-status");
            }
            return value == null ? null : Integer.valueOf(value.trim());
        }

        String grpcMessage() {
            String value = header("grpc-message");
            return value != null ? value : webTrailers().getOrDefault("grpc-message", "");
        }

        /** The trailers a gRPC-web response carries in its body, in a frame flagged 0x80. */
        Map<String, String> webTrailers() {
            Map<String, String> trailers = new LinkedHashMap<>();
            byte[] frames = body;
            String contentType = header("content-type");
            if (contentType != null && contentType.startsWith("application/grpc-web-text")) {
                try {
                    frames = Base64.getDecoder().decode(bodyText().replaceAll("\\s", ""));
                } catch (IllegalArgumentException e) {
                    return trailers;
                }
            }
            int at = 0;
            while (at + 5 <= frames.length) {
                int flag = frames[at] & 0xff;
                int length = ByteBuffer.wrap(frames, at + 1, 4).getInt();
                if (length < 0 || at + 5 + length > frames.length) {
                    break;
                }
                if ((flag & 0x80) != 0) {
                    String text = new String(frames, at + 5, length, StandardCharsets.UTF_8);
                    for (String line : text.split("\r\n")) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            trailers.put(
                                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                    line.substring(colon + 1).trim());
                        }
                    }
                }
                at += 5 + length;
            }
            return trailers;
        }
    }

    private final int port;
    private final HttpClient http;
    private final ClientFactory factory;
    private final WebClient h2c;
    private final WebClient h1c;

    HostileWire(int port) {
        this.port = port;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.factory = ClientFactory.builder().build();
        this.h2c = WebClient.builder("h2c://127.0.0.1:" + port)
                .factory(factory)
                .responseTimeout(TIMEOUT)
                .writeTimeout(TIMEOUT)
                .maxResponseLength(0)
                .build();
        this.h1c = WebClient.builder("h1c://127.0.0.1:" + port)
                .factory(factory)
                .responseTimeout(TIMEOUT)
                .writeTimeout(TIMEOUT)
                .maxResponseLength(0)
                .build();
    }

    /** An HTTP/1.1 request through the JDK's client; {@code body == null} sends none. */
    Answer jdk(String method, String path, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            response.headers()
                    .map()
                    .forEach((name, values) ->
                            answerHeaders.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            return new Answer(response.statusCode(), answerHeaders, response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the request failed on the wire: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request through Armeria's client over HTTP/2 cleartext (prior knowledge). */
    Answer h2c(String method, String path, Map<String, String> headers, byte[] body) {
        return armeria(h2c, method, path, headers, body);
    }

    /** A request through Armeria's client over HTTP/1.1. */
    Answer h1c(String method, String path, Map<String, String> headers, byte[] body) {
        return armeria(h1c, method, path, headers, body);
    }

    private static Answer armeria(
            WebClient client, String method, String path, Map<String, String> headers, byte[] body) {
        RequestHeadersBuilder builder = RequestHeaders.builder(HttpMethod.valueOf(method), path);
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("content-type")) {
                builder.contentType(MediaType.parse(value));
            } else {
                builder.add(name.toLowerCase(Locale.ROOT), value);
            }
        });
        AggregatedHttpResponse response = client.execute(
                        builder.build(), body == null ? HttpData.empty() : HttpData.wrap(body))
                .aggregate()
                .join();
        Map<String, String> answerHeaders = new LinkedHashMap<>();
        response.headers().forEach((name, value) -> answerHeaders.merge(name.toString(), value, (a, b) -> a + "," + b));
        response.trailers()
                .forEach((name, value) -> answerHeaders.merge(name.toString(), value, (a, b) -> a + "," + b));
        return new Answer(
                response.status().code(), answerHeaders, response.content().array());
    }

    @Override
    public void close() {
        factory.close();
    }

    // ---- raw material

    /** Strings (as UTF-8) and byte arrays, concatenated. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof byte[] raw) {
                out.writeBytes(raw);
            } else if (part instanceof Integer single) {
                out.write(single);
            } else {
                out.writeBytes(part.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    static byte[] raw(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A gRPC (and gRPC-web) message frame: flag, 4-byte big-endian length, payload. */
    static byte[] frame(int flag, byte[] payload) {
        return frame(flag, payload.length, payload);
    }

    /** A frame whose length prefix says {@code declaredLength}, whatever the payload's real length. */
    static byte[] frame(int flag, int declaredLength, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length)
                .put((byte) flag)
                .putInt(declaredLength)
                .put(payload)
                .array();
    }

    static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return out.toByteArray();
    }

    /** A length-delimited protobuf field (wire type 2) holding {@code value} as is. */
    static byte[] lengthDelimited(int fieldNumber, byte[] value) {
        return bytes(varint(((long) fieldNumber << 3) | 2), varint(value.length), value);
    }

    static byte[] repeat(String unit, int times) {
        return unit.repeat(times).getBytes(StandardCharsets.UTF_8);
    }

    // ---- tokens

    static String hs256(byte[] secret, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    static JWTClaimsSet.Builder claims(String subject, String scope, Duration validFor) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims =
                new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now));
        if (scope != null) {
            claims.claim("scope", scope);
        }
        if (validFor != null) {
            claims.expirationTime(Date.from(now.plus(validFor)));
        }
        return claims;
    }
}
