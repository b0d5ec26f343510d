"""Reglas de validación de una solicitud de inscripción (§15.3, reglas (15.7)–(15.20)).

Cada función normaliza un campo y lo devuelve en su forma canónica, o lanza
``ErrorServidor`` con el código estable de la regla y ``detalles = {"campo", "regla"}``.
``validar_solicitud`` aplica todas en el orden fijo de §15.3 (el primer campo que falla es
el que se informa) y devuelve un ``DatosSolicitud`` inmutable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from ..errores import Codigo, ErrorServidor
from .catalogos import ENTIDADES, MODALIDADES, PAISES, TIPOS_CREDENCIAL

# Campos que admite el formulario de solicitud (páginas y API), en el orden de §15.3.
CAMPOS_SOLICITUD: tuple[str, ...] = (
    "nombres",
    "primer_apellido",
    "segundo_apellido",
    "fecha_nacimiento",
    "clave_elector",
    "tipo_credencial",
    "ocr",
    "cic",
    "entidad",
    "pais",
    "calle_numero",
    "ciudad",
    "region",
    "codigo_postal",
    "correo",
    "telefono",
    "modalidad",
)
CAMPOS_OPCIONALES = frozenset({"segundo_apellido", "ocr", "cic", "region", "codigo_postal"})

# Palabras de letras separadas por un espacio, apóstrofo o guion (con punto opcional antes) o por
# un punto; sin separadores repetidos, así que la expresión no retrocede exponencialmente.
_NOMBRE_PERMITIDO = re.compile(r"^[^\W\d_]+(?:(?:\.?[ '\-]|\.)[^\W\d_]+)*\.?$")
_CLAVE = re.compile(r"^[A-Z]{6}[0-9]{6}[0-9]{2}[HMX][A-Z0-9]{3}$")
_FECHA = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_OCR = re.compile(r"^[0-9]{13}$")
_CIC = re.compile(r"^[0-9]{9}$")
_CP = re.compile(r"^[A-Z0-9](?:[A-Z0-9 \-]{0,8}[A-Z0-9])?$")
_CORREO_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,64}$")
_ETIQUETA = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
_TELEFONO = re.compile(r"^\+[1-9][0-9]{7,14}$")
_SEPARADORES_TELEFONO = re.compile(r"[ \-.()/]")

EDAD_MINIMA = 18


@dataclass(frozen=True, slots=True)
class DatosSolicitud:
    """Una solicitud ya normalizada: todo lo que se guarda y lo que se compara por unicidad."""

    nombres: str
    primer_apellido: str
    segundo_apellido: str
    fecha_nacimiento: date
    clave_elector: str
    tipo_credencial: str
    ocr: str
    cic: str
    entidad: str
    pais: str
    calle_numero: str
    ciudad: str
    region: str
    codigo_postal: str
    correo: str
    telefono: str
    modalidad: str

    def como_texto(self) -> dict[str, str]:
        """Los campos como texto, con la fecha en ISO 8601 (para volver a validar tras subsanar)."""
        salida = {k: str(v) for k, v in asdict(self).items()}
        salida["fecha_nacimiento"] = self.fecha_nacimiento.isoformat()
        return salida


def _falla(codigo: Codigo, mensaje: str, campo: str, regla: str) -> ErrorServidor:
    return ErrorServidor(codigo, mensaje, 400, campo=campo, regla=regla)


def _espacios(valor: str) -> str:
    return " ".join(valor.split())


def _sin_control(valor: str) -> bool:
    return not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in valor)


def nombre(valor: str, campo: str, *, requerido: bool = True) -> str:
    """Regla (15.7): letras Unicode, con espacio, apóstrofo, guion o punto entre palabras; 1–120."""
    valor = unicodedata.normalize("NFC", _espacios(valor))
    if not valor and not requerido:
        return ""
    if not valor or len(valor) > 120 or not _sin_control(valor) or not _NOMBRE_PERMITIDO.match(valor):
        raise _falla(
            Codigo.NOMBRE_INVALIDO,
            "Escriba el nombre o apellido solo con letras (se admiten espacios, apóstrofo, guion y punto), "
            "de 1 a 120 caracteres.",
            campo,
            "15.7",
        )
    return valor


def fecha_nacimiento(valor: str, hoy: date) -> date:
    """Reglas (15.8) fecha válida AAAA-MM-DD entre 1900-01-01 y hoy, y (15.9) 18 años cumplidos."""
    valor = valor.strip()
    try:
        if not _FECHA.match(valor):
            raise ValueError(valor)
        fecha = date.fromisoformat(valor)
    except ValueError:
        raise _falla(
            Codigo.FECHA_NACIMIENTO_INVALIDA,
            "La fecha de nacimiento debe ser una fecha válida con la forma AAAA-MM-DD.",
            "fecha_nacimiento",
            "15.8",
        ) from None
    if fecha.year < 1900 or fecha > hoy:
        raise _falla(
            Codigo.FECHA_NACIMIENTO_INVALIDA,
            "La fecha de nacimiento debe estar entre 1900-01-01 y hoy.",
            "fecha_nacimiento",
            "15.8",
        )
    edad = hoy.year - fecha.year - ((hoy.month, hoy.day) < (fecha.month, fecha.day))
    if edad < EDAD_MINIMA:
        raise _falla(
            Codigo.MENOR_DE_EDAD, "Para inscribirse se necesitan 18 años cumplidos.", "fecha_nacimiento", "15.9"
        )
    return fecha


def clave_elector(valor: str) -> str:
    """Regla (15.10): 18 caracteres LLLLLL AAMMDD EE S HHH (sin espacios, en mayúsculas).

    LLLLLL seis letras A–Z; AAMMDD una fecha de calendario válida; EE entidad de nacimiento
    01–32; S sexo H, M o X; HHH tres caracteres A–Z o 0–9 (homoclave).
    """
    clave = re.sub(r"\s+", "", valor).upper()
    mensaje = (
        "La clave de elector tiene 18 caracteres: 6 letras, 6 dígitos de la fecha de nacimiento (AAMMDD), "
        "2 dígitos de la entidad de nacimiento (01 a 32), H, M o X, y 3 letras o dígitos."
    )
    if not _CLAVE.match(clave):
        raise _falla(Codigo.CLAVE_ELECTOR_INVALIDA, mensaje, "clave_elector", "15.10")
    aa, mm, dd = int(clave[6:8]), int(clave[8:10]), int(clave[10:12])
    try:
        # Fecha válida en 19AA o en 20AA: para AA ≠ 00 ambos años son o no bisiestos a la vez, y
        # 000229 es válida (2000-02-29).
        date(2000 + aa, mm, dd)
    except ValueError:
        raise _falla(Codigo.CLAVE_ELECTOR_INVALIDA, mensaje, "clave_elector", "15.10") from None
    if clave[12:14] not in ENTIDADES:
        raise _falla(Codigo.CLAVE_ELECTOR_INVALIDA, mensaje, "clave_elector", "15.10")
    return clave


def clave_coincide_con_fecha(clave: str, fecha: date) -> None:
    """Regla (15.11): los caracteres 7–12 de la clave son AAMMDD de la fecha de nacimiento."""
    if clave[6:12] != fecha.strftime("%y%m%d"):
        raise _falla(
            Codigo.CLAVE_ELECTOR_FECHA,
            "La fecha dentro de la clave de elector (caracteres 7 a 12, AAMMDD) no coincide con la "
            "fecha de nacimiento.",
            "clave_elector",
            "15.11",
        )


def tipo_credencial(valor: str) -> str:
    """Regla (15.12): ``mexico`` o ``extranjero``."""
    valor = valor.strip().lower()
    if valor not in TIPOS_CREDENCIAL:
        raise _falla(
            Codigo.TIPO_CREDENCIAL_INVALIDO,
            "El tipo de credencial debe ser «mexico» (emitida en México) o «extranjero» (emitida en el extranjero).",
            "tipo_credencial",
            "15.12",
        )
    return valor


def ocr_y_cic(tipo: str, ocr: str, cic: str) -> tuple[str, str]:
    """Reglas (15.13) México → OCR de 13 dígitos y sin CIC; (15.14) extranjero → CIC de 9 dígitos y sin OCR."""
    ocr, cic = re.sub(r"\s+", "", ocr), re.sub(r"\s+", "", cic)
    if tipo == "mexico":
        if not _OCR.match(ocr):
            raise _falla(
                Codigo.OCR_INVALIDO,
                "Una credencial emitida en México lleva un OCR de 13 dígitos (al reverso de la credencial).",
                "ocr",
                "15.13",
            )
        if cic:
            raise _falla(
                Codigo.CIC_INVALIDO,
                "Para una credencial emitida en México escriba el OCR y deje vacío el CIC.",
                "cic",
                "15.13",
            )
    else:
        if not _CIC.match(cic):
            raise _falla(
                Codigo.CIC_INVALIDO,
                "Una credencial emitida en el extranjero lleva un CIC de 9 dígitos.",
                "cic",
                "15.14",
            )
        if ocr:
            raise _falla(
                Codigo.OCR_INVALIDO,
                "Para una credencial emitida en el extranjero escriba el CIC y deje vacío el OCR.",
                "ocr",
                "15.14",
            )
    return ocr, cic


def entidad(valor: str) -> str:
    """Regla (15.15): clave de dos dígitos de una de las 32 entidades (§15.2.1)."""
    valor = valor.strip()
    if valor not in ENTIDADES:
        raise _falla(Codigo.ENTIDAD_INVALIDA, "Elija una de las 32 entidades (clave de 01 a 32).", "entidad", "15.15")
    return valor


def pais(valor: str) -> str:
    """Regla (15.16): código ISO 3166-1 alfa-2 de la tabla (§15.2.2), distinto de MX."""
    valor = valor.strip().upper()
    if valor not in PAISES or valor == "MX":
        raise _falla(
            Codigo.PAIS_INVALIDO,
            "Elija el país de residencia (código ISO 3166-1 de dos letras, distinto de México).",
            "pais",
            "15.16",
        )
    return valor


def _texto_domicilio(valor: str, campo: str, minimo: int, maximo: int) -> str:
    valor = unicodedata.normalize("NFC", _espacios(valor))
    if not valor and minimo == 0:
        return ""
    if not (minimo <= len(valor) <= maximo) or not _sin_control(valor) or not any(c.isalnum() for c in valor):
        raise _falla(
            Codigo.DOMICILIO_INVALIDO,
            f"Escriba este dato del domicilio en el extranjero ({max(minimo, 1)} a {maximo} caracteres).",
            campo,
            "15.17",
        )
    return valor


def domicilio(calle_numero: str, ciudad: str, region: str, codigo_postal: str) -> tuple[str, str, str, str]:
    """Regla (15.17): calle y número 3–200, ciudad 2–120, región 0–120, código postal opcional."""
    cp = _espacios(codigo_postal).upper()
    if cp and not _CP.match(cp):
        raise _falla(
            Codigo.DOMICILIO_INVALIDO,
            "El código postal tiene de 2 a 10 letras, dígitos, espacios o guiones.",
            "codigo_postal",
            "15.17",
        )
    if cp and len(cp) < 2:
        raise _falla(
            Codigo.DOMICILIO_INVALIDO,
            "El código postal tiene de 2 a 10 letras, dígitos, espacios o guiones.",
            "codigo_postal",
            "15.17",
        )
    return (
        _texto_domicilio(calle_numero, "calle_numero", 3, 200),
        _texto_domicilio(ciudad, "ciudad", 2, 120),
        _texto_domicilio(region, "region", 0, 120),
        cp,
    )


def correo(valor: str) -> str:
    """Regla (15.18): ``local@dominio`` en minúsculas, ≤ 254; dominio con ≥ 2 etiquetas y TLD alfabético."""
    valor = valor.strip().lower()
    falla = _falla(Codigo.CORREO_INVALIDO, "El correo electrónico no es válido.", "correo", "15.18")
    if len(valor) > 254 or valor.count("@") != 1:
        raise falla
    local, dominio = valor.split("@")
    if not _CORREO_LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        raise falla
    etiquetas = dominio.split(".")
    if len(etiquetas) < 2 or not all(_ETIQUETA.match(e) for e in etiquetas):
        raise falla
    if not (etiquetas[-1].isalpha() and len(etiquetas[-1]) >= 2):
        raise falla
    return valor


def telefono(valor: str) -> str:
    """Regla (15.19): E.164.  Se quitan espacios, guiones, puntos, paréntesis y «/»; «00» inicial
    equivale a «+»; el resultado es «+» y de 8 a 15 dígitos, el primero distinto de 0."""
    limpio = _SEPARADORES_TELEFONO.sub("", valor.strip())
    if limpio.startswith("00"):
        limpio = "+" + limpio[2:]
    if not _TELEFONO.match(limpio):
        raise _falla(
            Codigo.TELEFONO_INVALIDO,
            "Escriba el teléfono móvil con su código de país, por ejemplo +1 213 555 0123 (de 8 a 15 dígitos).",
            "telefono",
            "15.19",
        )
    return limpio


def modalidad(valor: str) -> str:
    """Regla (15.20): ``postal``, ``electronica`` o ``presencial``."""
    valor = valor.strip().lower()
    if valor not in MODALIDADES:
        raise _falla(
            Codigo.MODALIDAD_INVALIDA,
            "Elija la modalidad de voto: postal, electrónica o presencial.",
            "modalidad",
            "15.20",
        )
    return valor


def validar_solicitud(datos: Mapping[str, str], hoy: date) -> DatosSolicitud:
    """Aplica (15.7)–(15.20) en el orden de §15.3.  ``datos``: texto por campo ("" si está vacío)."""

    def d(campo: str) -> str:
        return str(datos.get(campo) or "")

    nombres = nombre(d("nombres"), "nombres")
    primer = nombre(d("primer_apellido"), "primer_apellido")
    segundo = nombre(d("segundo_apellido"), "segundo_apellido", requerido=False)
    fecha = fecha_nacimiento(d("fecha_nacimiento"), hoy)
    clave = clave_elector(d("clave_elector"))
    clave_coincide_con_fecha(clave, fecha)
    tipo = tipo_credencial(d("tipo_credencial"))
    ocr, cic = ocr_y_cic(tipo, d("ocr"), d("cic"))
    ent = entidad(d("entidad"))
    pa = pais(d("pais"))
    calle, ciudad, region, cp = domicilio(d("calle_numero"), d("ciudad"), d("region"), d("codigo_postal"))
    return DatosSolicitud(
        nombres=nombres,
        primer_apellido=primer,
        segundo_apellido=segundo,
        fecha_nacimiento=fecha,
        clave_elector=clave,
        tipo_credencial=tipo,
        ocr=ocr,
        cic=cic,
        entidad=ent,
        pais=pa,
        calle_numero=calle,
        ciudad=ciudad,
        region=region,
        codigo_postal=cp,
        correo=correo(d("correo")),
        telefono=telefono(d("telefono")),
        modalidad=modalidad(d("modalidad")),
    )
