"""FAISS on the vectors and queries KnnBenchmark wrote, for its comparison (issue 21).

Reads DIR/vectors.npy (n x d float32), DIR/queries.txt (a query row id per line) and DIR/truth.txt (per
query, Tessera's exact k neighbour ids, the query itself left out); builds IndexFlat and IndexHNSWFlat with the given M,
efConstruction and efSearch; times single-threaded and all-thread search; prints one JSON object.

Each search is timed REPEATS times after a warm-up and the fastest counts, as KnnBenchmark times its own.

Usage: python3 faiss_knn.py DIR METRIC(l2|dot|cosine) K M EF_CONSTRUCTION EF_SEARCH[,EF_SEARCH...] THREADS REPEATS
Debian's python3-faiss (apt-get install python3-faiss) provides faiss for /usr/bin/python3; install
libopenblas0-openmp too, or IndexFlat's products run on the reference BLAS (18x slower here).
"""
import json
import sys
import time

import faiss
import numpy as np


def recall(found, truth, k):
    hits = 0
    for f, t in zip(found, truth):
        hits += len(set(f[:k].tolist()) & set(t[:k].tolist()))
    return hits / (len(truth) * k)


def search(index, x, queries, k, threads, repeats=1):
    """Top k of each query without itself (k + 1 asked, the query's own row dropped); the fastest queries/s."""
    faiss.omp_set_num_threads(threads)
    batch = x[queries]
    seconds = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        _, ids = index.search(batch, k + 1)
        seconds = min(seconds, time.perf_counter() - t0)
    out = np.array([[i for i in row if i != q][:k] for row, q in zip(ids, queries)])
    return out, len(queries) / seconds


def main():
    folder, metric, k, m, ef_construction, ef_searches, threads, repeats = sys.argv[1:9]
    k, m, ef_construction, threads, repeats = map(int, (k, m, ef_construction, threads, repeats))
    x = np.ascontiguousarray(np.load(folder + "/vectors.npy"), dtype=np.float32)
    queries = np.loadtxt(folder + "/queries.txt", dtype=np.int64, ndmin=1)
    truth = np.loadtxt(folder + "/truth.txt", dtype=np.int64, ndmin=2)
    n, d = x.shape
    if metric == "cosine":
        faiss.normalize_L2(x)
    inner = metric in ("dot", "cosine")
    out = {"version": faiss.__version__, "threads": threads}

    flat = faiss.IndexFlatIP(d) if inner else faiss.IndexFlatL2(d)
    flat.add(x)
    search(flat, x, queries[:64], k, threads)  # warm-up
    found, out["flat_qps"] = search(flat, x, queries, k, threads)
    _, out["flat_qps_1t"] = search(flat, x, queries, k, 1)
    out["flat_recall"] = recall(found, truth, k)

    hnsw = faiss.IndexHNSWFlat(d, m, faiss.METRIC_INNER_PRODUCT if inner else faiss.METRIC_L2)
    hnsw.hnsw.efConstruction = ef_construction
    faiss.omp_set_num_threads(threads)
    t0 = time.perf_counter()
    hnsw.add(x)
    out["hnsw_build_s"] = time.perf_counter() - t0
    for ef in map(int, ef_searches.split(",")):
        hnsw.hnsw.efSearch = ef
        search(hnsw, x, queries, k, threads)  # warm-up
        found, out["hnsw_qps_ef%d" % ef] = search(hnsw, x, queries, k, threads, repeats)
        _, out["hnsw_qps_1t_ef%d" % ef] = search(hnsw, x, queries, k, 1, repeats)
        out["hnsw_recall_ef%d" % ef] = recall(found, truth, k)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
