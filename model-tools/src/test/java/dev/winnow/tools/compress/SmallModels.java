package dev.winnow.tools.compress;

import dev.winnow.tools.data.Dataset;
import dev.winnow.tools.train.BonsaiModel;
import dev.winnow.tools.train.ProtoNnModel;
import dev.winnow.tools.train.Trainer;

/** The small trained models the compression tests start from: the same shapes, trained from a seed. */
final class SmallModels {
    private SmallModels() {}

    /** A Bonsai tree (projection 10, depth 2) trained {@code epochs} epochs on {@code train}. */
    static BonsaiModel bonsai(Dataset train, long seed, int epochs) {
        BonsaiModel m = BonsaiModel.init(train, BonsaiModel.Config.defaults(10, 2), seed);
        Trainer.train(m, train, Trainer.Options.defaults(seed).epochs(epochs));
        return m;
    }

    /** A ProtoNN (projection 8, 24 prototypes) trained {@code epochs} epochs on {@code train}. */
    static ProtoNnModel protoNn(Dataset train, long seed, int epochs) {
        ProtoNnModel m = ProtoNnModel.init(train, ProtoNnModel.Config.defaults(8, 24), seed);
        Trainer.train(m, train, Trainer.Options.defaults(seed).epochs(epochs));
        return m;
    }
}
