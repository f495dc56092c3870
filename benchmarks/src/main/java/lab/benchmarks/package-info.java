package lab.benchmarks;
