import CBLAS

/// OpenBLAS settings.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses per matrix product. The pipeline runs frames in parallel
    /// itself, so it asks for 1; benchmarks state what they used.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(count))
    }

    /// OpenBLAS's thread count now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// OpenBLAS's build configuration (version, target core), for benchmark reports.
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// `c[m×n] = a[m×k] · b[k×n] + c`, row-major.
    static func multiplyAccumulate(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(n), 1, c, Int32(n))
    }
}
