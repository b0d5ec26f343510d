"""Instalación de vmre (la configuración de herramientas vive en pyproject.toml)."""

from setuptools import find_packages, setup

# Servidor de referencia: Flask (web), SQLAlchemy 2 (SQLite/PostgreSQL), argon2-cffi (contraseñas),
# pyotp (TOTP, RFC 6238), segno (QR del segundo factor sin recursos externos), waitress (WSGI real).
SERVIDOR = [
    "flask>=3.0",
    "sqlalchemy>=2.0",
    "argon2-cffi>=23.1",
    "pyotp>=2.9",
    "segno>=1.6",
    "waitress>=3.0",
    "pycryptodome>=3.20",  # scrypt + AES-GCM: estado del custodio protegido con frase de paso
    "aiosmtpd>=1.4",  # el simulacro levanta su propio servidor SMTP local
]

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
        "servidor": SERVIDOR,
        "postgres": ["psycopg[binary]>=3.2"],
        "test": [*SERVIDOR, "psycopg[binary]>=3.2", "pytest>=8", "hypothesis>=6.100", "pytest-benchmark>=4",
                 "jsonschema>=4.20", "aiosmtpd>=1.4", "playwright>=1.50"],
        "bench": ["pytest-benchmark>=4"],
        "dev": ["ruff>=0.6", "mypy>=1.10", "types-tqdm", "pytest>=8", "hypothesis>=6.100", "pytest-benchmark>=4"],
    },
    entry_points={
        "console_scripts": ["vmre=vmre_crypto.cli:principal"],
        "vmre.ordenes": [
            "servidor=servidor_referencia.cli:servidor",
            "lnere=servidor_referencia.cli_lnere:lnere",
            "credenciales=servidor_referencia.clientes.cli_credenciales:credenciales",
            "custodio=servidor_referencia.clientes.cli_custodio:custodio",
            "votar=servidor_referencia.clientes.cli_votar:votar",
            "simulacro=servidor_referencia.clientes.cli_simulacro:simulacro",
        ],
    },
)
