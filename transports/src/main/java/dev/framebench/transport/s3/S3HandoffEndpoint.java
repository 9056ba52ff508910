package dev.framebench.transport.s3;

import dev.framebench.error.BadInputException;
import dev.framebench.transport.socket.InetAddresses;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Where an s3-handoff sender reaches its receiver and their store, written as six fields joined by
 * {@code '|'}: {@code ANNOUNCE|STORE|REGION|BUCKET|PREFIX|AUTH}, e.g.
 * {@code 127.0.0.1:40123|http://127.0.0.1:39001|us-east-1|framebench-4242-1|f/|run}.
 * <ul>
 *   <li>ANNOUNCE: the receiver's HOST:PORT for announcements ({@link dev.framebench.transport.socket.HandoffChannel});</li>
 *   <li>STORE: the store's endpoint URL, or {@code -} for AWS's own endpoint of REGION;</li>
 *   <li>BUCKET, PREFIX: where objects go; a sender names objects PREFIX + an announced name;</li>
 *   <li>AUTH: {@code default} (the AWS SDK's default credential chain), {@code run} (the run's store: key id
 *       {@value #RUN_IDENTITY}, secret derived from the run's token, which never appears on a command line) or
 *       {@code run:SECRET} (the run's store of a run without a token).</li>
 * </ul>
 */
record S3HandoffEndpoint(InetSocketAddress announce, URI store, String region, String bucket, String prefix, String auth) {
    static final String RUN_IDENTITY = "framebench";
    static final String AWS_STORE = "-";
    static final String AUTH_DEFAULT = "default";
    static final String AUTH_RUN = "run";
    private static final String FORM = "write ANNOUNCE|STORE|REGION|BUCKET|PREFIX|AUTH, e.g. 127.0.0.1:40123|http://127.0.0.1:39001|us-east-1|framebench-4242-1|f/|run";

    static S3HandoffEndpoint parse(String text) {
        String[] fields = text.split("\\|", -1);
        if (fields.length != 6) {
            throw new BadInputException("bad s3-handoff endpoint '" + text + "': " + fields.length + " fields; " + FORM);
        }
        InetSocketAddress announce = InetAddresses.parse("endpoint", fields[0]);
        URI store;
        try {
            store = fields[1].equals(AWS_STORE) ? null : URI.create(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("bad store URL in s3-handoff endpoint '" + text + "': " + e.getMessage() + "; " + FORM);
        }
        String auth = fields[5];
        if (!auth.equals(AUTH_DEFAULT) && !auth.equals(AUTH_RUN) && !auth.startsWith(AUTH_RUN + ":")) {
            throw new BadInputException("bad AUTH '" + auth + "' in s3-handoff endpoint; expected default, run or run:SECRET; " + FORM);
        }
        return new S3HandoffEndpoint(announce, store, fields[2], fields[3], fields[4], auth);
    }

    @Override
    public String toString() {
        return InetAddresses.format(announce) + "|" + (store == null ? AWS_STORE : store.toString()) + "|" + region + "|"
                + bucket + "|" + prefix + "|" + auth;
    }
}
