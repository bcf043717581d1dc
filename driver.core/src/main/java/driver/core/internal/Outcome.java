package driver.core.internal;

/** How one call into a driver ended. */
record Outcome(Kind kind, Throwable error) {
    enum Kind { OK, FAILED, DEFERRED, HUNG }

    static final Outcome OK = new Outcome(Kind.OK, null);
    static final Outcome HUNG = new Outcome(Kind.HUNG, null);

    static Outcome of(Throwable error) {
        if (error == null) {
            return OK;
        }
        return new Outcome(error instanceof driver.core.ProbeDeferredException ? Kind.DEFERRED : Kind.FAILED, error);
    }

    /** The reason to show a user: the exception's message, or its type when it has none. */
    String reason() {
        if (error == null) {
            return kind == Kind.HUNG ? "did not return in time" : null;
        }
        String m = error.getMessage();
        return m == null || m.isBlank() ? error.getClass().getName() : m;
    }
}
