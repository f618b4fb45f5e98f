package dev.tessera.sampler;

/**
 * The computation graph of one mini-batch: for each layer (input layer first), a block of edges from source
 * nodes to destination nodes. Block {@code l}'s destinations are block {@code l+1}'s sources; the last
 * block's destinations are the seeds. Each block's sources list its destinations first, in the same order,
 * so destination {@code i} is also source {@code i} (its own previous-layer state).
 *
 * @param layerNodes {@code layerNodes[0]} the input nodes (global numbers), {@code layerNodes[L]} the seeds
 * @param blockRowStart per block, CSR row starts over its destinations
 * @param blockSources per block, the sampled neighbours of each destination as local source indices (without
 *     the destination itself)
 */
public record SampledBlocks(int[][] layerNodes, int[][] blockRowStart, int[][] blockSources) {
    public int layers() {
        return blockRowStart.length;
    }

    public int[] inputNodes() {
        return layerNodes[0];
    }

    public int[] seeds() {
        return layerNodes[layerNodes.length - 1];
    }
}
