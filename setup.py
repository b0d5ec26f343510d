"""Instalación de vmre (la configuración de herramientas vive en pyproject.toml)."""

from setuptools import find_packages, setup

setup(
    name="vmre",
    version="0.1.0",
    description="Biblioteca criptográfica y servidor de referencia para el voto por internet desde el extranjero",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.11",
    packages=find_packages(include=["vmre_crypto", "vmre_crypto.*", "servidor_referencia", "servidor_referencia.*"]),
    package_data={"vmre_crypto": ["py.typed"]},
    install_requires=["gmpy2>=2.2", "click>=8.1", "numpy>=1.26", "tqdm>=4.66"],
    extras_require={
        "servidor": ["flask>=3.0", "sqlalchemy>=2.0", "argon2-cffi>=23.1"],
        "test": ["pytest>=8", "hypothesis>=6.100", "pytest-benchmark>=4", "jsonschema>=4.20"],
        "bench": ["pytest-benchmark>=4"],
        "dev": ["ruff>=0.6", "mypy>=1.10", "types-tqdm", "pytest>=8", "hypothesis>=6.100", "pytest-benchmark>=4"],
    },
    entry_points={"console_scripts": ["vmre=vmre_crypto.cli:principal"]},
)
