package dev.tessera.gcn;

import dev.tessera.sampler.SampledBlocks;
import java.util.ArrayList;
import java.util.List;

/**
 * One prepared mini-batch: its sampled blocks as propagation matrices and its input nodes' features. Each
 * block row averages the destination itself and its sampled neighbours (GraphSAGE's mean aggregator with
 * the self-loop folded in, i.e. the GCN aggregator on the sample), weights {@code 1/(k+1)} for k neighbours.
 */
record MiniBatch(int[] seeds, List<CsrMatrix> propagation, NodeMatrix.Dense input) {

    static MiniBatch of(SampledBlocks blocks, float[] inputFeatures, int dimension) {
        List<CsrMatrix> propagation = new ArrayList<>(blocks.layers());
        for (int l = 0; l < blocks.layers(); l++) {
            int[] start = blocks.blockRowStart()[l];
            int[] sources = blocks.blockSources()[l];
            int rows = start.length - 1;
            int[] rowStart = new int[rows + 1];
            int[] cols = new int[sources.length + rows];
            float[] values = new float[cols.length];
            int w = 0;
            for (int i = 0; i < rows; i++) {
                int k = start[i + 1] - start[i];
                float weight = 1f / (k + 1);
                cols[w] = i; // the destination's own state: source i (see SampledBlocks)
                values[w++] = weight;
                for (int j = start[i]; j < start[i + 1]; j++) {
                    cols[w] = sources[j];
                    values[w++] = weight;
                }
                rowStart[i + 1] = w;
            }
            propagation.add(new CsrMatrix(rows, blocks.layerNodes()[l].length, rowStart, cols, values));
        }
        int[] inputs = blocks.inputNodes();
        return new MiniBatch(
                blocks.seeds(), propagation, new NodeMatrix.Dense(inputs.length, dimension, inputFeatures));
    }
}
