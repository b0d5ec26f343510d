"""Verificación de boletas en lotes, en este proceso o en procesos hijos (§14.5).

Cada lote devuelve, por boleta, un resumen pequeño (identificador, código, resúmenes de
credencial y de cifrados, y la primera falla) y, para las boletas depositadas válidas, el
producto parcial de sus cifrados por opción.  El proceso principal combina los lotes en el
orden del tablero, así que el informe es idéntico con cualquier número de procesos.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from gmpy2 import mpz

from ..boletas import BoletaCifrada, abrir_selecciones, verificar_boleta
from ..eleccion import ContextoEleccion
from ..errores import ErrorVMRE, Motivo
from ..primitivas.grupo import GRUPO_ESTANDAR
from ..primitivas.hash import b
from ..registro.documentos import BoletaDesafiada
from ..serializacion import deserializar

__all__ = ["ResultadoLote", "ResumenBoleta", "iniciar_trabajador", "verificar_lote", "verificar_lote_global"]

#: Comprobación a la que corresponde cada motivo de falla de una boleta.
_CHECK_POR_MOTIVO = {
    Motivo.BOLETA_NO_CORRESPONDE_AL_MANIFIESTO: "V-B1",
    Motivo.HASH_CONTIENDA_INVALIDO: "V7.A",
    Motivo.CODIGO_CONFIRMACION_INVALIDO: "V7.B",
    Motivo.FIRMA_CREDENCIAL_INVALIDA: "V-C1",
    Motivo.APERTURA_INVALIDA: "V12",
    Motivo.NO_ES_MIEMBRO_SUBGRUPO: "V-G",
    Motivo.FUERA_DE_RANGO_P: "V-G",
    Motivo.FUERA_DE_RANGO_Q: "V-G",
}


def comprobacion_de(error: ErrorVMRE) -> str:
    """Identificador de la comprobación que falla con ``error`` (V5 si nombra opción, si no V6)."""
    if error.motivo is Motivo.RANGO_INVALIDA:
        return "V5" if "opcion" in error.detalles else "V6"
    return _CHECK_POR_MOTIVO.get(error.motivo, "V-T2")


def resumen_de(datos: bytes) -> bytes:
    """Resumen de 16 bytes para comparar credenciales sin guardar valores de 512 bytes."""
    return hashlib.sha256(datos).digest()[:16]


@dataclass
class ResumenBoleta:
    linea: int
    desafiada: bool
    id_boleta: str | None = None
    codigo: str | None = None
    credencial: bytes | None = None
    cifrados: list[int] = field(default_factory=list)
    falla: tuple[str, str, str, dict[str, object]] | None = None


@dataclass
class ResultadoLote:
    resumenes: list[ResumenBoleta]
    #: contienda → (α por opción, β por opción, boletas) de las depositadas válidas del lote.
    productos: dict[int, tuple[list[mpz], list[mpz], int]]


def _digerir_cifrado(alfa: mpz, beta: mpz, largo: int) -> int:
    """Resumen de 128 bits de (α, β): una colisión casual entre 1.5 millones de cifrados tiene
    probabilidad < 2^-87."""
    return int.from_bytes(hashlib.sha256(b(alfa, largo) + b(beta, largo)).digest()[:16], "big")


def verificar_lote(contexto: ContextoEleccion, lote: list[tuple[int, bool, str]]) -> ResultadoLote:
    """Verifica un lote de boletas ``(línea, desafiada, texto canónico del documento)``."""
    grupo = contexto.grupo
    p = grupo.p
    largo = grupo.bytes_p
    resumenes: list[ResumenBoleta] = []
    productos: dict[int, tuple[list[mpz], list[mpz], int]] = {}
    for linea, desafiada, texto in lote:
        resumen = ResumenBoleta(linea, desafiada)
        resumenes.append(resumen)
        try:
            if desafiada:
                documento = deserializar(texto, BoletaDesafiada, grupo)
                boleta = documento.boleta
            else:
                boleta = deserializar(texto, BoletaCifrada, grupo)
        except ErrorVMRE as error:
            resumen.falla = (comprobacion_de(error), error.motivo.value, error.mensaje, dict(error.detalles))
            continue
        resumen.id_boleta = boleta.id_boleta
        resumen.codigo = boleta.codigo_confirmacion.hex().upper()
        if boleta.credencial is not None:
            resumen.credencial = resumen_de(b(boleta.credencial.valor, largo))
        resumen.cifrados = [
            _digerir_cifrado(s.cifrado.alfa.valor, s.cifrado.beta.valor, largo)
            for c in boleta.contiendas
            for s in c.selecciones
        ]
        try:
            verificar_boleta(contexto, boleta)
            if desafiada:
                abrir_selecciones(contexto, boleta, documento.apertura)
        except ErrorVMRE as error:
            detalles = dict(error.detalles)
            detalles.setdefault("boleta", boleta.id_boleta)
            resumen.falla = (comprobacion_de(error), error.motivo.value, error.mensaje, detalles)
            continue
        if desafiada:
            continue
        for contienda in boleta.contiendas:
            alfas, betas, cuenta = productos.get(
                contienda.indice, ([mpz(1)] * len(contienda.selecciones), [mpz(1)] * len(contienda.selecciones), 0)
            )
            for j, s in enumerate(contienda.selecciones):
                alfas[j] = alfas[j] * s.cifrado.alfa.valor % p
                betas[j] = betas[j] * s.cifrado.beta.valor % p
            productos[contienda.indice] = (alfas, betas, cuenta + 1)
    return ResultadoLote(resumenes, productos)


_CONTEXTO: ContextoEleccion | None = None


def iniciar_trabajador(texto_contexto: str) -> None:
    """Inicializador de cada proceso hijo: decodifica el contexto una vez."""
    global _CONTEXTO
    _CONTEXTO = deserializar(texto_contexto, ContextoEleccion, GRUPO_ESTANDAR)


def verificar_lote_global(lote: list[tuple[int, bool, str]]) -> ResultadoLote:
    if _CONTEXTO is None:  # pragma: no cover - error de programación
        raise RuntimeError("trabajador sin inicializar")
    return verificar_lote(_CONTEXTO, lote)
