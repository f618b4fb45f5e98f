package dev.tessera.trainer.train;

import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.trainer.model.Operator;
import java.util.List;

/**
 * The global parameters: each relation's operator parameters and each entity type's global embedding (PBG's
 * global_emb), with their Adagrad state. Shared by the Hogwild workers.
 */
public final class ModelParameters {
    /** Storage slot of type t's global embedding (relations use their id). */
    public static final int GLOBAL_SLOT_BASE = 1_000_000;

    public final Operator[] operators;
    public final float[][] relation;
    public final float[][] relationState;
    public final float[] relationWeight;
    public final int[] lhsType;
    public final int[] rhsType;
    public final float[][] global;
    public final float[][] globalState;

    public ModelParameters(TesseraConfig config, int d, boolean globalEmbeddings) {
        List<RelationConfig> rels = config.relations();
        int n = rels.size();
        operators = new Operator[n];
        relation = new float[n][];
        relationState = new float[n][];
        relationWeight = new float[n];
        lhsType = new int[n];
        rhsType = new int[n];
        for (int r = 0; r < n; r++) {
            RelationConfig rc = rels.get(r);
            operators[r] = Operator.of(rc.operator());
            relation[r] = new float[operators[r].parameterCount(d)];
            relationState[r] = new float[relation[r].length];
            operators[r].initialize(relation[r], d);
            relationWeight[r] = (float) rc.weight();
            lhsType[r] = config.entityTypeId(rc.lhs());
            rhsType[r] = config.entityTypeId(rc.rhs());
        }
        int types = config.entities().size();
        global = new float[types][];
        globalState = new float[types][];
        for (int t = 0; t < types; t++) {
            global[t] = globalEmbeddings ? new float[d] : null;
            globalState[t] = globalEmbeddings ? new float[d] : null;
        }
    }
}
