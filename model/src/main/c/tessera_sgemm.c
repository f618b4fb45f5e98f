/*
 * SGEMM on Java float arrays in place: OpenBLAS reads and writes the arrays' own memory, pinned for the call
 * by GetPrimitiveArrayCritical. Through JavaCPP every operand and result was copied into native buffers and
 * back, which on the trainer's chunk shapes (50 x 1050 x 100) cost a third as much as the products.
 *
 * The library does not link against OpenBLAS: Java passes the address of the cblas_sgemm that JavaCPP
 * already loaded, so both use the same build and thread settings.
 */
#include <jni.h>
#include <stdint.h>

/* CBLAS's enums (cblas.h): row-major layout, no transpose, transpose. */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*cblas_sgemm_fn)(int layout, int transA, int transB, int m, int n, int k, float alpha,
                               const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

JNIEXPORT void JNICALL Java_dev_tessera_model_backend_InPlaceSgemm_sgemm(
        JNIEnv *env, jclass cls, jlong sgemm, jboolean transA, jboolean transB, jint m, jint n, jint k,
        jfloatArray a, jint lda, jfloatArray b, jint ldb, jfloat beta, jfloatArray c, jint ldc) {
    (void) cls;
    /* No JNI call and no allocation may happen between a Get and its Release: GC waits meanwhile. */
    float *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
    float *pb = pa == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    float *pc = pb == NULL ? NULL : (*env)->GetPrimitiveArrayCritical(env, c, NULL);
    if (pc != NULL) {
        ((cblas_sgemm_fn) (intptr_t) sgemm)(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS,
                                            m, n, k, 1.0f, pa, lda, pb, ldb, beta, pc, ldc);
        (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
    }
    /* A NULL means the JVM could not pin an array and has an OutOfMemoryError pending for Java to see. */
    if (pb != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
    }
    if (pa != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
    }
}
