# Settings the PyTorch natives read when they load, sourced by ./bonsai and executors/spark/cluster before they
# start a JVM. A value already in the environment wins. README ("Engines and devices", "Shared machines") says why.

# oneDNN's AVX-512 kernels train a small CNN to NaN on some AVX-512 processors (seen on AMD EPYC with 2 threads);
# its AVX2 kernels do not.
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
# MKL's strict reproducible mode: its matrix products give the same bits whatever the number of threads, so djl's
# thread count, which adapts to the machine's load, does not change results.
export MKL_CBWR="${MKL_CBWR:-AUTO,STRICT}"
