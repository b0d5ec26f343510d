"""Documento canónico de un corte de la LNERE, su código de integridad y su comparación (§16).

Este módulo no toca la base ni Flask: lo usan igual el servidor (al crear un corte), la orden
``vmre lnere comparar`` y cualquier programa de auditoría.  Cada regla cita su número de
``especificacion/16-lnere.md``; quien reimplemente el formato debe poder hacerlo con ese
texto solo.

Forma del documento (16.2)–(16.7)::

    {"formato":"vmre-lnere-1","modalidad":"…","num_registros":n,"tipo":"corte_lnere","version_corte":v}\\n
    {"clave_elector":"…","correo":"…","entidad":"…",…}\\n      ← un renglón por elector,
    …                                                          ordenados por clave_elector

y su código de integridad es ``SHA-256`` de todos esos bytes, en hexadecimal minúsculo (16.8).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from itertools import pairwise
from typing import Any

FORMATO = "vmre-lnere-1"
TIPO = "corte_lnere"
MODALIDADES = ("postal", "electronica", "presencial")

# (16.4) Campos del encabezado, en el orden en que se escriben (orden alfabético).
CAMPOS_ENCABEZADO = ("formato", "modalidad", "num_registros", "tipo", "version_corte")
# (16.5) Campos de cada registro, en el orden en que se escriben (orden alfabético).
CAMPOS_REGISTRO = (
    "clave_elector",
    "correo",
    "entidad",
    "fecha_nacimiento",
    "folio",
    "nombres",
    "pais",
    "primer_apellido",
    "segundo_apellido",
    "telefono",
)
# (16.6) Campos a los que se aplica la normalización N.
CAMPOS_NOMBRE = ("nombres", "primer_apellido", "segundo_apellido")

_CLAVE = re.compile(r"[A-Z]{6}[0-9]{8}[HMX][0-9A-Z]{3}")
_FECHA = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PAIS = re.compile(r"[A-Z]{2}")
# (16.6) W: los caracteres con la propiedad Unicode White_Space.
_ESPACIOS = re.compile("[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_LARGO_MAXIMO = {
    "nombres": 120,
    "primer_apellido": 120,
    "segundo_apellido": 120,
    "folio": 32,
    "correo": 254,
    "telefono": 20,
}


class DocumentoInvalido(ValueError):
    """El texto no es un documento canónico de la LNERE (16.9).  ``linea`` cuenta desde 1."""

    def __init__(self, mensaje: str, linea: int | None = None) -> None:
        self.mensaje = f"Línea {linea}: {mensaje}" if linea else mensaje
        self.linea = linea
        super().__init__(self.mensaje)


@dataclass(frozen=True, slots=True)
class Encabezado:
    """Renglón 1 del documento (16.4)."""

    modalidad: str
    version_corte: int
    num_registros: int

    def como_json(self) -> dict[str, Any]:
        return {
            "formato": FORMATO,
            "modalidad": self.modalidad,
            "num_registros": self.num_registros,
            "tipo": TIPO,
            "version_corte": self.version_corte,
        }


@dataclass(frozen=True, slots=True)
class RegistroCanonico:
    """Un elector del corte, ya normalizado y validado (16.5), (16.6).  Se construye con ``registro``."""

    clave_elector: str
    correo: str
    entidad: str
    fecha_nacimiento: str  # AAAA-MM-DD
    folio: str
    nombres: str
    pais: str
    primer_apellido: str
    segundo_apellido: str
    telefono: str

    def como_json(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in CAMPOS_REGISTRO}


@dataclass(frozen=True, slots=True)
class DocumentoLNERE:
    """Un documento leído y validado, con sus bytes exactos."""

    encabezado: Encabezado
    registros: tuple[RegistroCanonico, ...]
    contenido: bytes

    @property
    def codigo(self) -> str:
        return codigo_integridad(self.contenido)


def normalizar_nombre(texto: str) -> str:
    """Ecuación (16.6): N(s) = colapsar(NFC(s)): forma NFC; cada racha de espacios de W se vuelve
    un solo U+0020 y se quitan los del principio y del final."""
    return _ESPACIOS.sub(" ", unicodedata.normalize("NFC", texto)).strip(" ")


def codigo_integridad(contenido: bytes) -> str:
    """Ecuación (16.8): c = hex(SHA-256(D)), 64 dígitos hexadecimales en minúsculas."""
    return hashlib.sha256(contenido).hexdigest()


def _linea_canonica(objeto: dict[str, Any]) -> bytes:
    """Regla (16.3): JSON canónico de §10.2 (llaves ordenadas, sin espacios, UTF-8, escapes mínimos)."""
    return json.dumps(objeto, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _revisar_texto(campo: str, valor: str, linea: int | None) -> None:
    """(16.5): texto en NFC, sin caracteres de control ni sustitutos, dentro de su largo máximo."""
    for caracter in valor:
        if unicodedata.category(caracter) in ("Cc", "Cs"):
            raise DocumentoInvalido(
                f"el campo «{campo}» contiene el carácter no permitido U+{ord(caracter):04X}.", linea
            )
    if unicodedata.normalize("NFC", valor) != valor:
        raise DocumentoInvalido(f"el campo «{campo}» no está en forma de normalización NFC.", linea)
    maximo = _LARGO_MAXIMO.get(campo)
    if maximo is not None and len(valor) > maximo:
        raise DocumentoInvalido(f"el campo «{campo}» excede {maximo} caracteres.", linea)


def _validar_registro(valores: dict[str, str], linea: int | None) -> RegistroCanonico:
    """Las reglas de forma de (16.5) y la normalización (16.6), comunes a escritura y lectura."""
    for campo in CAMPOS_REGISTRO:
        _revisar_texto(campo, valores[campo], linea)
    if not _CLAVE.fullmatch(valores["clave_elector"]):
        raise DocumentoInvalido(
            "la clave de elector no tiene la forma AAAAAA########S### con S = H, M o X (18 caracteres).", linea
        )
    fecha = valores["fecha_nacimiento"]
    try:
        if not _FECHA.fullmatch(fecha):
            raise ValueError
        date.fromisoformat(fecha)
    except ValueError:
        raise DocumentoInvalido("la fecha de nacimiento no es una fecha AAAA-MM-DD válida.", linea) from None
    entidad = valores["entidad"]
    if not (len(entidad) == 2 and entidad.isascii() and entidad.isdigit() and 1 <= int(entidad) <= 32):
        raise DocumentoInvalido("la entidad debe ser una clave de dos dígitos entre 01 y 32.", linea)
    if not _PAIS.fullmatch(valores["pais"]):
        raise DocumentoInvalido("el país debe ser un código ISO 3166-1 de dos letras mayúsculas.", linea)
    for campo in CAMPOS_NOMBRE:
        if normalizar_nombre(valores[campo]) != valores[campo]:
            raise DocumentoInvalido(f"el campo «{campo}» no está normalizado (16.6): espacios sobrantes.", linea)
    for campo in ("nombres", "primer_apellido", "folio", "correo", "telefono"):
        if not valores[campo]:
            raise DocumentoInvalido(f"el campo «{campo}» no puede estar vacío.", linea)
    return RegistroCanonico(**{c: valores[c] for c in CAMPOS_REGISTRO})


def registro(
    *,
    clave_elector: str,
    nombres: str,
    primer_apellido: str,
    segundo_apellido: str,
    fecha_nacimiento: date | str,
    entidad: str,
    pais: str,
    folio: str,
    correo: str,
    telefono: str,
) -> RegistroCanonico:
    """Construye un registro del corte: aplica N (16.6) a los nombres y valida todo (16.5).

    Lanza ``DocumentoInvalido`` si un valor no puede entrar a un documento canónico.
    """
    fecha = fecha_nacimiento.isoformat() if isinstance(fecha_nacimiento, date) else fecha_nacimiento
    valores = {
        "clave_elector": clave_elector,
        "correo": correo,
        "entidad": entidad,
        "fecha_nacimiento": fecha,
        "folio": folio,
        "nombres": normalizar_nombre(nombres),
        "pais": pais,
        "primer_apellido": normalizar_nombre(primer_apellido),
        "segundo_apellido": normalizar_nombre(segundo_apellido or ""),
        "telefono": telefono,
    }
    return _validar_registro(valores, None)


def serializar(modalidad: str, version_corte: int, registros: Iterable[RegistroCanonico]) -> bytes:
    """Ecuaciones (16.2)–(16.7): los bytes exactos del documento de un corte."""
    if modalidad not in MODALIDADES:
        raise DocumentoInvalido(f"modalidad desconocida «{modalidad}».")
    if isinstance(version_corte, bool) or not isinstance(version_corte, int) or version_corte < 1:
        raise DocumentoInvalido("la versión del corte debe ser un entero mayor o igual que 1.")
    ordenados = sorted(registros, key=lambda r: r.clave_elector.encode("ascii"))  # (16.7)
    for anterior, siguiente in pairwise(ordenados):
        if anterior.clave_elector == siguiente.clave_elector:
            raise DocumentoInvalido(f"la clave de elector {siguiente.clave_elector} aparece dos veces.")
    encabezado = Encabezado(modalidad, version_corte, len(ordenados))
    lineas = [_linea_canonica(encabezado.como_json())]
    lineas += [_linea_canonica(r.como_json()) for r in ordenados]
    return b"".join(linea + b"\n" for linea in lineas)  # (16.2): cada línea termina en LF, también la última


# ------------------------------------------------------------------------- lectura (16.9)


def _sin_repetidas(pares: list[tuple[str, Any]]) -> dict[str, Any]:
    salida: dict[str, Any] = {}
    for clave, valor in pares:
        if clave in salida:
            raise ValueError(f"la llave «{clave}» aparece repetida")
        salida[clave] = valor
    return salida


def _rechazar_constante(nombre: str) -> Any:
    raise ValueError(f"constante no permitida {nombre}")


def _objeto(texto: str, linea: int, campos: tuple[str, ...], que: str) -> dict[str, Any]:
    try:
        valor = json.loads(texto, object_pairs_hook=_sin_repetidas, parse_constant=_rechazar_constante)
    except (ValueError, RecursionError) as e:
        raise DocumentoInvalido(f"no es JSON válido ({e}).", linea) from None
    if not isinstance(valor, dict):
        raise DocumentoInvalido(f"se esperaba un objeto JSON ({que}).", linea)
    faltan = [c for c in campos if c not in valor]
    if faltan:
        raise DocumentoInvalido(f"falta el campo «{faltan[0]}» ({que}).", linea)
    sobran = sorted(set(valor) - set(campos))
    if sobran:
        raise DocumentoInvalido(f"campo desconocido «{sobran[0]}» ({que}).", linea)
    return valor


def _entero(valor: Any, campo: str, minimo: int, linea: int) -> int:
    if isinstance(valor, bool) or not isinstance(valor, int) or valor < minimo:
        raise DocumentoInvalido(f"«{campo}» debe ser un entero mayor o igual que {minimo}.", linea)
    return valor


def _leer_encabezado(texto: str) -> Encabezado:
    datos = _objeto(texto, 1, CAMPOS_ENCABEZADO, "encabezado")
    if datos["formato"] != FORMATO:
        raise DocumentoInvalido(f"formato no soportado {datos['formato']!r}; se esperaba «{FORMATO}».", 1)
    if datos["tipo"] != TIPO:
        raise DocumentoInvalido(f"tipo {datos['tipo']!r}; se esperaba «{TIPO}».", 1)
    if datos["modalidad"] not in MODALIDADES:
        raise DocumentoInvalido(f"modalidad desconocida {datos['modalidad']!r}.", 1)
    return Encabezado(
        datos["modalidad"],
        _entero(datos["version_corte"], "version_corte", 1, 1),
        _entero(datos["num_registros"], "num_registros", 0, 1),
    )


def leer(contenido: bytes) -> DocumentoLNERE:
    """Regla (16.9): acepta ``contenido`` solo si es, byte por byte, un documento canónico.

    Lanza ``DocumentoInvalido`` (mensaje en español, con el número de línea) en cuanto encuentra
    la primera falla, en el orden de (16.9).
    """
    if contenido.startswith(b"\xef\xbb\xbf"):
        raise DocumentoInvalido("el archivo empieza con una marca de orden de bytes (BOM); no debe llevarla.")
    try:
        texto = contenido.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DocumentoInvalido(f"el archivo no es UTF-8 válido (byte {e.start}).") from None
    if not texto:
        raise DocumentoInvalido("el archivo está vacío.")
    if "\r" in texto:
        raise DocumentoInvalido(
            "contiene un retorno de carro (CR); las líneas terminan solo en LF.",
            texto[: texto.index("\r")].count("\n") + 1,
        )
    if not texto.endswith("\n"):
        raise DocumentoInvalido("la última línea no termina en LF.", texto.count("\n") + 1)
    lineas = texto[:-1].split("\n")
    for numero, texto_linea in enumerate(lineas, start=1):
        if not texto_linea:
            raise DocumentoInvalido("línea vacía.", numero)
    encabezado = _leer_encabezado(lineas[0])
    registros: list[RegistroCanonico] = []
    for numero, linea in enumerate(lineas[1:], start=2):
        datos = _objeto(linea, numero, CAMPOS_REGISTRO, "registro")
        for campo in CAMPOS_REGISTRO:
            if not isinstance(datos[campo], str):
                raise DocumentoInvalido(f"el campo «{campo}» debe ser texto.", numero)
        nuevo = _validar_registro(datos, numero)
        if registros and nuevo.clave_elector.encode() <= registros[-1].clave_elector.encode():
            raise DocumentoInvalido(
                "los registros deben ir ordenados por clave de elector, sin repetir (16.7).", numero
            )
        registros.append(nuevo)
    if len(registros) != encabezado.num_registros:
        raise DocumentoInvalido(
            f"el encabezado anuncia {encabezado.num_registros} registros y el archivo trae {len(registros)}.", 1
        )
    # (16.10): lo leído, vuelto a escribir, da exactamente los mismos bytes de cada línea.
    objetos = [encabezado.como_json()] + [r.como_json() for r in registros]
    for numero, (linea, objeto) in enumerate(zip(lineas, objetos, strict=True), start=1):
        if _linea_canonica(objeto) != linea.encode("utf-8"):
            raise DocumentoInvalido(
                "la línea no está en JSON canónico (orden de llaves, espacios o escapes; §10.2).", numero
            )
    return DocumentoLNERE(encabezado, tuple(registros), contenido)


# --------------------------------------------------------------------- comparación (16.11)


@dataclass(frozen=True, slots=True)
class Cambio:
    """Un elector presente en ambos cortes con campos distintos."""

    clave_elector: str
    campos: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparacion:
    """Resultado de comparar el documento A con el B (16.11)–(16.12).

    ``agregados``: claves que están en B y no en A; ``eliminados``: en A y no en B;
    ``cambiados``: en ambos con algún campo distinto (se nombran los campos, no los valores).
    """

    codigo_a: str
    codigo_b: str
    encabezado_a: Encabezado
    encabezado_b: Encabezado
    diferencias_encabezado: tuple[str, ...]
    agregados: tuple[str, ...]
    eliminados: tuple[str, ...]
    cambiados: tuple[Cambio, ...]

    @property
    def identicas(self) -> bool:
        """(16.11): dos listas son idénticas si y solo si sus códigos de integridad son iguales."""
        return self.codigo_a == self.codigo_b

    @property
    def resultado(self) -> str:
        return "idénticas" if self.identicas else "diferentes"

    def como_json(self, *, con_claves: bool = True) -> dict[str, Any]:
        """Forma JSON de (16.13).  Sin ``con_claves`` solo van códigos y conteos (sin datos personales)."""
        salida: dict[str, Any] = {
            "resultado": self.resultado,
            "identicas": self.identicas,
            "a": {"codigo_integridad": self.codigo_a, **_encabezado_publico(self.encabezado_a)},
            "b": {"codigo_integridad": self.codigo_b, **_encabezado_publico(self.encabezado_b)},
            "encabezado": [
                {"campo": c, "a": getattr(self.encabezado_a, c), "b": getattr(self.encabezado_b, c)}
                for c in self.diferencias_encabezado
            ],
            "num_agregados": len(self.agregados),
            "num_eliminados": len(self.eliminados),
            "num_cambiados": len(self.cambiados),
        }
        if con_claves:
            salida["agregados"] = list(self.agregados)
            salida["eliminados"] = list(self.eliminados)
            salida["cambiados"] = [{"clave_elector": c.clave_elector, "campos": list(c.campos)} for c in self.cambiados]
        return salida


def _encabezado_publico(e: Encabezado) -> dict[str, Any]:
    return {"modalidad": e.modalidad, "version_corte": e.version_corte, "num_registros": e.num_registros}


def comparar(a: DocumentoLNERE, b: DocumentoLNERE) -> Comparacion:
    """Reglas (16.11)–(16.12): compara dos documentos ya leídos con ``leer``."""
    por_clave_a = {r.clave_elector: r for r in a.registros}
    por_clave_b = {r.clave_elector: r for r in b.registros}
    cambiados = []
    for clave in sorted(por_clave_a.keys() & por_clave_b.keys()):
        ra, rb = por_clave_a[clave], por_clave_b[clave]
        campos = tuple(f.name for f in fields(RegistroCanonico) if getattr(ra, f.name) != getattr(rb, f.name))
        if campos:
            cambiados.append(Cambio(clave, campos))
    return Comparacion(
        codigo_a=a.codigo,
        codigo_b=b.codigo,
        encabezado_a=a.encabezado,
        encabezado_b=b.encabezado,
        diferencias_encabezado=tuple(
            c
            for c in ("modalidad", "version_corte", "num_registros")
            if getattr(a.encabezado, c) != getattr(b.encabezado, c)
        ),
        agregados=tuple(sorted(por_clave_b.keys() - por_clave_a.keys())),
        eliminados=tuple(sorted(por_clave_a.keys() - por_clave_b.keys())),
        cambiados=tuple(cambiados),
    )
