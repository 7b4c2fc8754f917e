package dev.admit.projection;

/** A rebuild of the users projection was asked for while another one runs, on this node or another. */
public class RebuildAlreadyRunningException extends IllegalStateException {

    public RebuildAlreadyRunningException() {
        super("a rebuild of the users projection is already running");
    }
}
