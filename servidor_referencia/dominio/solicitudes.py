"""Ciclo de vida de una solicitud de inscripción del SRVE (§15): alta, folio, unicidad,
seguimiento, recuperación de folio, dictaminación, subsanación y vencimiento del plazo.

Sin Flask: cada función recibe la sesión de la petición y nunca confirma (lo hace la capa
web, una transacción por petición, (18.2)).  Todo cambio de estado pasa por ``_transicion``,
que comprueba la tabla (15.1)–(15.6) y anota el evento en el historial.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..bd.base import ahora
from ..bd.srve import EventoSolicitud, Solicitud
from ..errores import Codigo, ErrorServidor
from . import bitacora
from .catalogos import CAMPOS_SUBSANABLES, ENTIDADES, ESTADOS, MODALIDADES, MOTIVOS_IMPROCEDENCIA, PAISES
from .correo import encolar
from .validacion_srve import DatosSolicitud, validar_solicitud

# (15.23) Una solicitud está activa mientras no haya concluido sin inscripción.
ESTADOS_ACTIVOS = frozenset({"en_revision", "requiere_subsanar", "procedente"})

# §15.1: transiciones permitidas (estado anterior, estado nuevo) → número de la regla.
# La (15.1) es el alta (sin estado anterior).
TRANSICIONES: dict[tuple[str | None, str], str] = {
    (None, "en_revision"): "15.1",
    ("en_revision", "procedente"): "15.2",
    ("en_revision", "improcedente"): "15.3",
    ("en_revision", "requiere_subsanar"): "15.4",
    ("requiere_subsanar", "en_revision"): "15.5",
    ("requiere_subsanar", "plazo_vencido"): "15.6",
}
RESULTADOS_DICTAMEN = ("procedente", "improcedente", "requiere_subsanar")
CANALES_EVENTO = frozenset({"web", "api", "inetel", "sistema"})

# (15.21) Letra de control: la misma tabla módulo 23 del DNI español.
LETRAS_FOLIO = "TRWAGMYFPDXBNJZSQVHLCKE"
_FOLIO = re.compile(r"^VMRE([0-9]{2})([0-9]{7})([A-Z])$")


# ------------------------------------------------------------------ folio (15.21)–(15.22)


def letra_folio(anio2: str, numero7: str) -> str:
    """(15.21): V = LETRAS_FOLIO[int(AA ∥ NNNNNNN) mod 23]."""
    return LETRAS_FOLIO[int(anio2 + numero7) % 23]


def formar_folio(anio2: str, numero7: str) -> str:
    """(15.21): ``VMRE-AA-NNNNNNN-V``."""
    return f"VMRE-{anio2}-{numero7}-{letra_folio(anio2, numero7)}"


def leer_folio(texto: str) -> str:
    """(15.22): sin espacios ni guiones y en mayúsculas debe ser VMRE AA NNNNNNN V con V correcta."""
    limpio = re.sub(r"[\s\-]", "", texto).upper()
    m = _FOLIO.match(limpio)
    if not m or letra_folio(m.group(1), m.group(2)) != m.group(3):
        raise ErrorServidor(
            Codigo.FOLIO_INVALIDO,
            "El folio no es válido: tiene la forma VMRE-AA-NNNNNNN-L; revise que lo haya copiado bien.",
            400,
            campo="folio",
            regla="15.22",
        )
    return formar_folio(m.group(1), m.group(2))


def _folio_nuevo(bd: Session, momento: datetime) -> str:
    """(15.21): NNNNNNN uniforme en 0…9 999 999 (``secrets``); se vuelve a sortear si ya existe."""
    anio2 = momento.strftime("%y")
    for _ in range(20):
        folio = formar_folio(anio2, f"{secrets.randbelow(10**7):07d}")
        if bd.scalar(select(func.count()).select_from(Solicitud).where(Solicitud.folio == folio)) == 0:
            return folio
    raise ErrorServidor(Codigo.CONFLICTO, "No se pudo asignar un folio; intente de nuevo.", 409)


# ------------------------------------------------------------------ historial y transiciones


def _transicion(bd: Session, s: Solicitud, nuevo: str, actor: str, canal: str, nota: str) -> EventoSolicitud:
    """Aplica una transición de §15.1 (o lanza ``transicion_invalida``) y la anota en el historial."""
    anterior = None if s.id is None else s.estado
    if (anterior, nuevo) not in TRANSICIONES:
        raise ErrorServidor(
            Codigo.TRANSICION_INVALIDA,
            f"Una solicitud en estado «{ESTADOS.get(anterior or '', anterior)}» no puede pasar a «{ESTADOS[nuevo]}».",
            409,
            estado_actual=anterior,
            estado_pedido=nuevo,
        )
    assert canal in CANALES_EVENTO
    momento = ahora()
    s.estado = nuevo
    s.activa = nuevo in ESTADOS_ACTIVOS
    s.actualizada = momento
    evento = EventoSolicitud(
        momento=momento, estado_anterior=anterior, estado_nuevo=nuevo, actor=actor, canal=canal, nota=nota
    )
    s.historial.append(evento)
    return evento


def vencer_si_corresponde(bd: Session, s: Solicitud, url_publica: str, momento: datetime | None = None) -> bool:
    """(15.34): una solicitud en ``requiere_subsanar`` con el plazo cumplido pasa a ``plazo_vencido``."""
    momento = momento or ahora()
    if s.estado != "requiere_subsanar" or s.plazo_subsanar is None or s.plazo_subsanar > momento:
        return False
    _transicion(
        bd,
        s,
        "plazo_vencido",
        "sistema",
        "sistema",
        "Terminó el plazo para subsanar sin que se recibieran las correcciones.",
    )
    _avisar(bd, s, url_publica)
    return True


def vencer_plazos(bd: Session, url_publica: str) -> int:
    """(15.34) para todas las solicitudes con el plazo cumplido; devuelve cuántas vencieron."""
    filas = bd.scalars(
        select(Solicitud)
        .where(Solicitud.estado == "requiere_subsanar", Solicitud.plazo_subsanar <= ahora())
        .order_by(Solicitud.id)
    ).all()
    return sum(vencer_si_corresponde(bd, s, url_publica) for s in filas)


# ------------------------------------------------------------------ unicidad (15.23)–(15.27)


def _comprobar_unicidad(bd: Session, datos: DatosSolicitud, url_publica: str, excepto: int | None = None) -> None:
    """(15.24) clave de elector, (15.25) correo y (15.26) teléfono: únicos entre las activas."""
    condicion = or_(
        Solicitud.clave_elector == datos.clave_elector,
        Solicitud.correo == datos.correo,
        Solicitud.telefono == datos.telefono,
    )
    for s in bd.scalars(select(Solicitud).where(Solicitud.activa.is_(True), condicion)).all():
        if s.id != excepto:  # una activa con el plazo cumplido deja de estar activa antes de comparar
            vencer_si_corresponde(bd, s, url_publica)
    campo = _primer_choque(bd, datos.clave_elector, datos.correo, datos.telefono, excepto)
    if campo:
        raise _duplicada(campo)


def _primer_choque(bd: Session, clave: str, correo: str, telefono: str, excepto: int | None) -> str | None:
    """El primer campo, en el orden (15.24), (15.25), (15.26), que ya usa otra solicitud activa."""
    condicion = or_(Solicitud.clave_elector == clave, Solicitud.correo == correo, Solicitud.telefono == telefono)
    choques = [s for s in bd.scalars(select(Solicitud).where(Solicitud.activa.is_(True), condicion)) if s.id != excepto]
    for campo, valor in (("clave_elector", clave), ("correo", correo), ("telefono", telefono)):
        if any(getattr(s, campo) == valor for s in choques):
            return campo
    return None


def _duplicada(campo: str) -> ErrorServidor:
    if campo == "clave_elector":
        return ErrorServidor(
            Codigo.SOLICITUD_DUPLICADA,
            "Ya hay una solicitud activa con esa clave de elector. Consulte su seguimiento o recupere su folio.",
            409,
            campo="clave_elector",
            regla="15.24",
        )
    if campo == "correo":
        return ErrorServidor(
            Codigo.CORREO_EN_USO,
            "Ese correo electrónico ya está en otra solicitud activa.",
            409,
            campo="correo",
            regla="15.25",
        )
    return ErrorServidor(
        Codigo.TELEFONO_EN_USO,
        "Ese teléfono móvil ya está en otra solicitud activa.",
        409,
        campo="telefono",
        regla="15.26",
    )


def _escribir(bd: Session, s: Solicitud) -> None:
    """(15.27): escribe dentro de un punto de guardado; si un índice único parcial rechaza la fila
    (otra petición concurrente ganó la carrera), se vuelve a comparar con las filas ya confirmadas y
    se responde el mismo código, en el mismo orden, que la comprobación previa."""
    clave, correo, telefono, ident = s.clave_elector, s.correo, s.telefono, s.id
    try:
        with bd.begin_nested():
            bd.add(s)
            bd.flush()
    except StaleDataError:  # otra persona dictaminó la misma solicitud al mismo tiempo
        raise ErrorServidor(
            Codigo.CONFLICTO, "Otra operación cambió esta solicitud al mismo tiempo. Recargue e intente de nuevo.", 409
        ) from None
    except IntegrityError:
        campo = _primer_choque(bd, clave, correo, telefono, ident)
        if campo:
            raise _duplicada(campo) from None
        raise ErrorServidor(
            Codigo.CONFLICTO, "Otra operación cambió estos datos al mismo tiempo. Intente de nuevo.", 409
        ) from None


# ------------------------------------------------------------------ alta (15.1), INETEL (15.37)


def crear(
    bd: Session,
    datos: DatosSolicitud,
    *,
    canal: str,
    canal_evento: str,
    actor: str,
    url_publica: str,
    capturada_por: int | None = None,
    rol_actor: str | None = None,
) -> Solicitud:
    """Alta de una solicitud ya validada: folio, estado ``en_revision``, evento (15.1) y correo."""
    _comprobar_unicidad(bd, datos, url_publica)
    momento = ahora()
    s = Solicitud(
        folio=_folio_nuevo(bd, momento),
        activa=True,
        estado="en_revision",
        canal=canal,
        capturada_por=capturada_por,
        creada=momento,
        actualizada=momento,
        campos_a_subsanar=[],
    )
    _copiar(s, datos)
    _transicion(
        bd,
        s,
        "en_revision",
        actor,
        canal_evento,
        "Solicitud recibida por INETEL." if canal == "inetel" else "Solicitud recibida.",
    )
    _escribir(bd, s)
    if capturada_por is not None:  # (15.36): solo datos públicos en la bitácora
        bitacora.anotar(
            bd, actor, rol_actor or "", "capturar_solicitud", f"solicitud:{s.folio}", {"folio": s.folio, "canal": canal}
        )
    encolar(bd, s.correo, f"Folio de su solicitud de inscripción: {s.folio}", _cuerpo_confirmacion(s, url_publica))
    return s


def _copiar(s: Solicitud, datos: DatosSolicitud) -> None:
    s.nombres, s.primer_apellido, s.segundo_apellido = datos.nombres, datos.primer_apellido, datos.segundo_apellido
    s.fecha_nacimiento, s.clave_elector = datos.fecha_nacimiento, datos.clave_elector
    s.tipo_credencial, s.ocr, s.cic = datos.tipo_credencial, datos.ocr, datos.cic
    s.entidad, s.pais, s.correo, s.telefono, s.modalidad = (
        datos.entidad,
        datos.pais,
        datos.correo,
        datos.telefono,
        datos.modalidad,
    )
    s.domicilio = {
        "calle_numero": datos.calle_numero,
        "ciudad": datos.ciudad,
        "region": datos.region,
        "codigo_postal": datos.codigo_postal,
    }


def datos_de(s: Solicitud) -> dict[str, str]:
    """Los campos de la solicitud como texto (forma de entrada de §15.3)."""
    return {
        "nombres": s.nombres,
        "primer_apellido": s.primer_apellido,
        "segundo_apellido": s.segundo_apellido,
        "fecha_nacimiento": s.fecha_nacimiento.isoformat(),
        "clave_elector": s.clave_elector,
        "tipo_credencial": s.tipo_credencial,
        "ocr": s.ocr,
        "cic": s.cic,
        "entidad": s.entidad,
        "pais": s.pais,
        "calle_numero": s.domicilio.get("calle_numero", ""),
        "ciudad": s.domicilio.get("ciudad", ""),
        "region": s.domicilio.get("region", ""),
        "codigo_postal": s.domicilio.get("codigo_postal", ""),
        "correo": s.correo,
        "telefono": s.telefono,
        "modalidad": s.modalidad,
    }


# ------------------------------------------------------------------ seguimiento y recuperación


def buscar(bd: Session, folio: str, correo: str, url_publica: str) -> Solicitud | None:
    """(15.28): la solicitud con ese folio cuyo correo actual es ``correo`` (o None).
    Aplica (15.34) antes de responder, para mostrar el estado vigente."""
    s = bd.scalars(select(Solicitud).where(Solicitud.folio == leer_folio(folio))).first()
    if s is None or not secrets.compare_digest(s.correo.encode(), correo.strip().lower().encode()):
        return None
    vencer_si_corresponde(bd, s, url_publica)
    return s


def recuperar_folio(bd: Session, correo: str, url_publica: str) -> bool:
    """(15.30): si hay una solicitud activa con ese correo, se le envía su folio.  Devuelve si se envió
    (la capa web no lo muestra: la respuesta es siempre la misma)."""
    correo = correo.strip().lower()
    s = bd.scalars(select(Solicitud).where(Solicitud.correo == correo, Solicitud.activa.is_(True))).first()
    if s is None:
        return False
    encolar(
        bd,
        s.correo,
        "Recuperación del folio de su solicitud de inscripción",
        f"Hola, {s.nombres}:\n\nRecibimos una petición para recuperar el folio de su solicitud de inscripción a "
        f"la Lista Nominal de Electores Residentes en el Extranjero.\n\nSu folio es: {s.folio}\n\n"
        f"Consulte el estado de su solicitud con su folio y este correo en:\n{url_publica}/srve/seguimiento\n\n"
        "Si usted no pidió este correo, puede ignorarlo.\n",
    )
    return True


def siguiente_paso(s: Solicitud) -> str:
    """Qué debe hacer la persona según el estado (se muestra en el seguimiento)."""
    if s.estado == "en_revision":
        return "Su solicitud está en revisión. Le avisaremos por correo cuando tenga un dictamen."
    if s.estado == "requiere_subsanar":
        plazo = s.plazo_subsanar.strftime("%Y-%m-%d %H:%M UTC") if s.plazo_subsanar else ""
        return (
            f"Corrija los datos señalados antes del {plazo}. Después de esa fecha la solicitud ya no podrá corregirse."
        )
    if s.estado == "procedente":
        return {
            "electronica": "Su inscripción es procedente. Recibirá un correo para activar su cuenta de acceso al "
            "sistema de voto por internet.",
            "postal": "Su inscripción es procedente. Recibirá el paquete electoral postal en su domicilio en el "
            "extranjero.",
            "presencial": "Su inscripción es procedente. Podrá votar en el módulo de votación presencial que se le "
            "indicará por correo.",
        }[s.modalidad]
    if s.estado == "improcedente":
        return "Su solicitud fue improcedente. Puede presentar una nueva solicitud con los datos correctos."
    return "El plazo para subsanar terminó. Puede presentar una nueva solicitud."


def vista_publica(s: Solicitud) -> dict[str, Any]:
    """Lo que ve la persona en el seguimiento: estado, historial sin actores y qué sigue."""
    return {
        "folio": s.folio,
        "estado": s.estado,
        "estado_texto": ESTADOS[s.estado],
        "activa": s.activa,
        "modalidad": s.modalidad,
        "creada": _iso(s.creada),
        "motivo_improcedencia": s.motivo_improcedencia,
        "motivo_texto": MOTIVOS_IMPROCEDENCIA.get(s.motivo_improcedencia or ""),
        "campos_a_subsanar": list(s.campos_a_subsanar or []) if s.estado == "requiere_subsanar" else [],
        "observaciones": s.observaciones if s.estado in ("requiere_subsanar", "improcedente") else "",
        "plazo_subsanar": _iso(s.plazo_subsanar) if s.estado == "requiere_subsanar" else None,
        "siguiente_paso": siguiente_paso(s),
        "historial": [
            {
                "momento": _iso(e.momento),
                "estado": e.estado_nuevo,
                "estado_texto": ESTADOS[e.estado_nuevo],
                "nota": e.nota,
            }
            for e in s.historial
        ],
    }


def vista_personal(s: Solicitud) -> dict[str, Any]:
    """Todo, para el personal autorizado: datos, dictamen e historial con actor y canal."""
    return {
        **vista_publica(s),
        "canal": s.canal,
        "capturada_por": s.capturada_por,
        "datos": datos_de(s),
        "entidad_nombre": ENTIDADES[s.entidad],
        "pais_nombre": PAISES[s.pais],
        "observaciones": s.observaciones,
        "campos_a_subsanar": list(s.campos_a_subsanar or []),
        "plazo_subsanar": _iso(s.plazo_subsanar),
        "actualizada": _iso(s.actualizada),
        "historial": [
            {
                "momento": _iso(e.momento),
                "estado_anterior": e.estado_anterior,
                "estado": e.estado_nuevo,
                "actor": e.actor,
                "canal": e.canal,
                "nota": e.nota,
            }
            for e in s.historial
        ],
    }


def _iso(momento: datetime | None) -> str | None:
    return None if momento is None else momento.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------ dictaminación (15.31)–(15.32)


@dataclass(frozen=True, slots=True)
class Dictamen:
    resultado: str
    motivo: str | None
    campos: tuple[str, ...]
    observaciones: str


def validar_dictamen(
    resultado: str, motivo: str | None, campos: Iterable[str] | None, observaciones: str | None
) -> Dictamen:
    """(15.31): resultado, motivo (solo improcedente), campos (solo requiere_subsanar), observaciones."""
    resultado = (resultado or "").strip()
    motivo = (motivo or "").strip() or None
    lista = [c.strip() for c in (campos or []) if c.strip()]
    observaciones = (observaciones or "").strip()
    if resultado not in RESULTADOS_DICTAMEN:
        raise ErrorServidor(
            Codigo.DICTAMEN_INVALIDO,
            "El dictamen debe ser procedente, improcedente o requiere_subsanar.",
            400,
            campo="resultado",
            regla="15.31",
        )
    if len(observaciones) > 1000:
        raise ErrorServidor(
            Codigo.DICTAMEN_INVALIDO,
            "Las observaciones admiten a lo más 1000 caracteres.",
            400,
            campo="observaciones",
            regla="15.31",
        )
    if resultado == "improcedente":
        if motivo not in MOTIVOS_IMPROCEDENCIA:
            raise ErrorServidor(
                Codigo.MOTIVO_INVALIDO,
                "Elija un motivo de improcedencia de la lista.",
                400,
                campo="motivo",
                regla="15.31",
            )
    elif motivo is not None:
        raise ErrorServidor(
            Codigo.DICTAMEN_INVALIDO, "Solo un dictamen improcedente lleva motivo.", 400, campo="motivo", regla="15.31"
        )
    if resultado == "requiere_subsanar":
        if not lista or len(set(lista)) != len(lista) or any(c not in CAMPOS_SUBSANABLES for c in lista):
            raise ErrorServidor(
                Codigo.CAMPOS_SUBSANAR_INVALIDOS,
                "Señale uno o más campos de la lista, sin repetir, para que la persona los corrija.",
                400,
                campo="campos",
                regla="15.31",
            )
        if not observaciones:
            raise ErrorServidor(
                Codigo.DICTAMEN_INVALIDO,
                "Explique en las observaciones qué debe corregirse.",
                400,
                campo="observaciones",
                regla="15.31",
            )
        if "tipo_credencial" in lista:  # (15.32): cambiar el tipo obliga a cambiar OCR y CIC
            lista += [c for c in ("ocr", "cic") if c not in lista]
        lista.sort(key=list(CAMPOS_SUBSANABLES).index)
    elif lista:
        raise ErrorServidor(
            Codigo.DICTAMEN_INVALIDO,
            "Solo el dictamen requiere_subsanar lleva campos.",
            400,
            campo="campos",
            regla="15.31",
        )
    return Dictamen(resultado, motivo, tuple(lista), observaciones)


def dictaminar(
    bd: Session,
    s: Solicitud,
    dictamen: Dictamen,
    *,
    actor: str,
    rol: str,
    canal: str,
    plazo_subsanar_s: int,
    url_publica: str,
) -> None:
    """Transiciones (15.2), (15.3) y (15.4) por una persona operadora; correo y bitácora."""
    vencer_si_corresponde(bd, s, url_publica)
    if s.estado != "en_revision":
        _transicion(bd, s, dictamen.resultado, actor, canal, "")  # lanza transicion_invalida
    s.observaciones = dictamen.observaciones
    if dictamen.resultado == "procedente":
        nota = "Solicitud procedente."
    elif dictamen.resultado == "improcedente":
        s.motivo_improcedencia = dictamen.motivo
        nota = f"Improcedente: {MOTIVOS_IMPROCEDENCIA[dictamen.motivo or '']}."
    else:
        s.campos_a_subsanar = list(dictamen.campos)
        s.plazo_subsanar = ahora() + timedelta(seconds=plazo_subsanar_s)
        nota = "Debe corregir: " + ", ".join(CAMPOS_SUBSANABLES[c] for c in dictamen.campos) + "."
    _transicion(bd, s, dictamen.resultado, actor, canal, nota)
    _escribir(bd, s)
    bitacora.anotar(
        bd,
        actor,
        rol,
        "dictaminar_solicitud",  # (15.36)
        f"solicitud:{s.folio}",
        {"folio": s.folio, "resultado": dictamen.resultado, "motivo": dictamen.motivo, "campos": list(dictamen.campos)},
    )
    _avisar(bd, s, url_publica)


# ------------------------------------------------------------------ subsanación (15.33)


def subsanar(bd: Session, s: Solicitud, correcciones: Mapping[str, Any], *, canal: str, url_publica: str) -> None:
    """(15.33): la persona corrige solo los campos señalados, dentro del plazo; vuelve a revisión (15.5)."""
    vencida = s.estado == "plazo_vencido" or (
        s.estado == "requiere_subsanar" and (s.plazo_subsanar is None or s.plazo_subsanar <= ahora())
    )
    if not vencida and s.estado != "requiere_subsanar":
        _transicion(bd, s, "en_revision", "ciudadano", canal, "")  # lanza transicion_invalida
    if vencida:
        raise ErrorServidor(
            Codigo.PLAZO_VENCIDO,
            "El plazo para subsanar esta solicitud ya terminó. Puede presentar una nueva solicitud.",
            409,
            regla="15.34",
        )
    senalados = list(s.campos_a_subsanar or [])
    ajenos = sorted(set(correcciones) - set(senalados))
    if ajenos:
        raise ErrorServidor(
            Codigo.CAMPO_NO_SENALADO,
            f"Solo pueden corregirse los campos señalados; «{ajenos[0]}» no lo está.",
            400,
            campo=ajenos[0],
            regla="15.33",
        )
    for campo in senalados:
        if campo not in correcciones:
            raise ErrorServidor(
                Codigo.CAMPO_FALTANTE, f"Falta el campo señalado «{campo}».", 400, campo=campo, regla="15.33"
            )
        if not isinstance(correcciones[campo], str):
            raise ErrorServidor(Codigo.TIPO_INVALIDO, f"El campo «{campo}» debe ser texto.", 400, campo=campo)
        if len(correcciones[campo]) > 500:
            raise ErrorServidor(
                Codigo.VALOR_INVALIDO, f"El campo «{campo}» admite a lo más 500 caracteres.", 400, campo=campo
            )
    nuevos = {**datos_de(s), **{c: correcciones[c] for c in senalados}}
    datos = validar_solicitud(nuevos, ahora().date())
    _comprobar_unicidad(bd, datos, url_publica, excepto=s.id)
    _copiar(s, datos)
    s.campos_a_subsanar = []
    s.plazo_subsanar = None
    _transicion(
        bd, s, "en_revision", "ciudadano", canal, "Se recibieron las correcciones; la solicitud vuelve a revisión."
    )
    _escribir(bd, s)
    _avisar(bd, s, url_publica)


# ------------------------------------------------------------------ correos (15.35)


def _cuerpo_confirmacion(s: Solicitud, url_publica: str) -> str:
    canal = " por medio de INETEL" if s.canal == "inetel" else ""
    return (
        f"Hola, {s.nombres}:\n\nRecibimos{canal} su solicitud de inscripción a la Lista Nominal de Electores "
        f"Residentes en el Extranjero.\n\nSu folio es: {s.folio}\n"
        f"Modalidad de voto elegida: {MODALIDADES[s.modalidad]}\n\n"
        "Guárdelo: con el folio y este correo puede consultar el estado de su solicitud en\n"
        f"{url_publica}/srve/seguimiento\n\nLa solicitud está en revisión; le avisaremos por correo cuando "
        "tenga un dictamen.\n"
    )


def _avisar(bd: Session, s: Solicitud, url_publica: str) -> None:
    """(15.35): cada cambio de estado posterior al alta se avisa por correo a la persona."""
    asunto = f"Su solicitud {s.folio}: {ESTADOS[s.estado].lower()}"
    partes = [
        f"Hola, {s.nombres}:",
        "",
        f"Su solicitud de inscripción con folio {s.folio} está ahora: {ESTADOS[s.estado]}.",
    ]
    if s.estado == "improcedente":
        partes.append(f"Motivo: {MOTIVOS_IMPROCEDENCIA[s.motivo_improcedencia or '']}.")
    if s.estado == "requiere_subsanar":
        partes.append("Debe corregir: " + ", ".join(CAMPOS_SUBSANABLES[c] for c in s.campos_a_subsanar) + ".")
    if s.observaciones and s.estado in ("improcedente", "requiere_subsanar"):
        partes.append(f"Observaciones: {s.observaciones}")
    partes += ["", siguiente_paso(s), "", f"Seguimiento: {url_publica}/srve/seguimiento"]
    encolar(bd, s.correo, asunto, "\n".join(partes) + "\n")


# ------------------------------------------------------------------ consultas del personal


def listar(bd: Session, estado: str | None, pagina: int, por_pagina: int = 50) -> tuple[list[Solicitud], int]:
    consulta = select(Solicitud)
    cuenta = select(func.count()).select_from(Solicitud)
    if estado:
        consulta = consulta.where(Solicitud.estado == estado)
        cuenta = cuenta.where(Solicitud.estado == estado)
    total = bd.scalar(cuenta) or 0
    filas = bd.scalars(
        consulta.order_by(Solicitud.creada, Solicitud.id).offset(max(pagina - 1, 0) * por_pagina).limit(por_pagina)
    ).all()
    return list(filas), total


def por_folio(bd: Session, folio: str) -> Solicitud | None:
    return bd.scalars(select(Solicitud).where(Solicitud.folio == leer_folio(folio))).first()
