package dev.tessera.model;

import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.CheckpointStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The global parameters: each relation's operator parameters, with {@code dynamic_relations} a second
 * operator per relation applied to heads (PBG's lhs operators: tails are ranked by {@code score(g(h), t')},
 * heads still by {@code score(h', op(t))}), and each entity type's global embedding (PBG's global_emb), all with their Adagrad state.
 * Shared by the Hogwild workers.
 */
public final class ModelParameters {
    /** Storage slot of type t's global embedding (relations use their id). */
    public static final int GLOBAL_SLOT_BASE = 1_000_000;
    /** Storage slot of relation r's reciprocal operator. */
    public static final int RECIPROCAL_SLOT_BASE = 2_000_000;

    public final Operator[] operators;
    public final float[][] relation;
    public final float[][] relationState;
    /** Reciprocal operators' parameters; null unless dynamic_relations. */
    public final float[][] reciprocal;

    public final float[][] reciprocalState;
    public final float[] relationWeight;
    /** Relations whose negatives are every entity of the partition (all_negs), not sampled ones. */
    public final boolean[] allNegatives;

    public final int[] lhsType;
    public final int[] rhsType;
    /**
     * Relations with the same value may share a chunk: with dynamic relations, those of the same entity types
     * and negatives (operators then touch only positives, each its own relation's); otherwise each relation
     * alone, since its operator also transforms the candidates.
     */
    public final int[] chunkGroup;

    public final float[][] global;
    public final float[][] globalState;

    public ModelParameters(TesseraConfig config, int d) {
        List<RelationConfig> rels = config.relations();
        int n = rels.size();
        boolean dynamic = config.dynamicRelations();
        boolean globalEmbeddings = config.globalEmbeddings();
        operators = new Operator[n];
        relation = new float[n][];
        relationState = new float[n][];
        reciprocal = dynamic ? new float[n][] : null;
        reciprocalState = dynamic ? new float[n][] : null;
        relationWeight = new float[n];
        allNegatives = new boolean[n];
        lhsType = new int[n];
        rhsType = new int[n];
        for (int r = 0; r < n; r++) {
            RelationConfig rc = rels.get(r);
            operators[r] = Operator.of(rc.operator());
            relation[r] = new float[operators[r].parameterCount(d)];
            relationState[r] = new float[relation[r].length];
            operators[r].initialize(relation[r], d);
            if (dynamic) {
                reciprocal[r] = new float[relation[r].length];
                reciprocalState[r] = new float[relation[r].length];
                operators[r].initialize(reciprocal[r], d);
            }
            relationWeight[r] = (float) rc.weight();
            allNegatives[r] = rc.allNegs();
            lhsType[r] = config.entityTypeId(rc.lhs());
            rhsType[r] = config.entityTypeId(rc.rhs());
        }
        chunkGroup = new int[n];
        Map<List<Object>, Integer> firstOfKind = new HashMap<>();
        for (int r = 0; r < n; r++) {
            chunkGroup[r] = dynamic
                    ? firstOfKind.computeIfAbsent(
                            List.of(lhsType[r], rhsType[r], allNegatives[r]), k -> firstOfKind.size())
                    : r;
        }
        int types = config.entities().size();
        global = new float[types][];
        globalState = new float[types][];
        for (int t = 0; t < types; t++) {
            global[t] = globalEmbeddings ? new float[d] : null;
            globalState[t] = globalEmbeddings ? new float[d] : null;
        }
    }

    public boolean dynamicRelations() {
        return reciprocal != null;
    }

    public void write(CheckpointStore checkpoints, int version) {
        forEachSlot((slot, values, state) -> checkpoints.writeParams(version, slot, values, state));
    }

    /** Reads every parameter of a checkpoint version, with its Adagrad state unless {@code withState} is false. */
    public void read(CheckpointStore checkpoints, int version, boolean withState) {
        forEachSlot((slot, values, state) -> checkpoints.readParams(version, slot, values, withState ? state : null));
    }

    /** Sees one stored parameter array and its Adagrad state. */
    public interface SlotVisitor {
        void visit(int slot, float[] values, float[] state);
    }

    /** Every parameter array with its checkpoint slot, in a fixed order. */
    public void forEachSlot(SlotVisitor v) {
        for (int r = 0; r < relation.length; r++) {
            v.visit(r, relation[r], relationState[r]);
            if (reciprocal != null) {
                v.visit(RECIPROCAL_SLOT_BASE + r, reciprocal[r], reciprocalState[r]);
            }
        }
        for (int t = 0; t < global.length; t++) {
            if (global[t] != null) {
                v.visit(GLOBAL_SLOT_BASE + t, global[t], globalState[t]);
            }
        }
    }
}
