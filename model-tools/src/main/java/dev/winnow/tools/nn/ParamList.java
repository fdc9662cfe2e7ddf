package dev.winnow.tools.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A network's trainable parameters in the order it creates them, which is the order Adam, the
 * checkpoints and the weight average walk them. Not thread safe: filled while the network is built.
 */
public final class ParamList {
    private final List<Param> params = new ArrayList<>();
    private final List<Param> view = Collections.unmodifiableList(params);

    /** Adds {@code p} and returns it, so a field can be declared and registered in one expression. */
    public Param add(Param p) {
        params.add(p);
        return p;
    }

    /** Every parameter, in creation order (a read-only view). */
    public List<Param> all() {
        return view;
    }

    /** Trainable scalars in all. */
    public long count() {
        long n = 0;
        for (Param p : params) n += p.size();
        return n;
    }
}
