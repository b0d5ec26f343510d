"""Mediciones de rendimiento de vmre_crypto.

``python -m benchmarks`` produce las cifras de referencia expresadas en «pe» (el tiempo de
una exponenciación modular g^x mod p con x de 256 bits, medido en la misma corrida);
``pytest benchmarks/`` corre las mediciones por capa con pytest-benchmark.  Véase
``benchmarks/README.md``.
"""
