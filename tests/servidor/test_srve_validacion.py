"""Reglas de validación (15.7)–(15.20) y folio (15.21)–(15.22): un campo alterado → el código
preciso de su regla, por la API y sin escribir nada; y las normalizaciones que sí se aceptan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from srve_datos import clave_para, contar, solicitud

from servidor_referencia.dominio import catalogos
from servidor_referencia.dominio.solicitudes import LETRAS_FOLIO, formar_folio, leer_folio
from servidor_referencia.dominio.validacion_srve import validar_solicitud
from servidor_referencia.errores import ErrorServidor

HOY = datetime.now(UTC).date()


def _anios_antes(anios: int, dias: int = 0) -> str:
    """La fecha de hace ``anios`` años (29 de febrero → 1 de marzo) más ``dias`` días."""
    try:
        fecha = HOY.replace(year=HOY.year - anios)
    except ValueError:
        fecha = date(HOY.year - anios, 3, 1)
    return (fecha + timedelta(days=dias)).isoformat()


MENOR = _anios_antes(18, 1)  # cumple 18 mañana
JUSTO_18 = _anios_antes(18)
FUTURA = (HOY + timedelta(days=1)).isoformat()

NEGATIVOS: list[tuple[str, dict[str, Any], str, str]] = [
    # (nombre del caso, cambios, código, regla)
    ("nombre con dígito", {"nombres": "Mar1a"}, "nombre_invalido", "15.7"),
    ("nombre vacío de letras", {"nombres": "--"}, "nombre_invalido", "15.7"),
    ("apellido con signos repetidos", {"primer_apellido": "Gómez--López"}, "nombre_invalido", "15.7"),
    ("apellido demasiado largo", {"primer_apellido": "A" * 121}, "nombre_invalido", "15.7"),
    ("segundo apellido con control", {"segundo_apellido": "López\u200b"}, "nombre_invalido", "15.7"),
    ("fecha sin formato", {"fecha_nacimiento": "12/03/1985"}, "fecha_nacimiento_invalida", "15.8"),
    ("fecha inexistente", {"fecha_nacimiento": "1985-02-30"}, "fecha_nacimiento_invalida", "15.8"),
    (
        "fecha antes de 1900",
        {"fecha_nacimiento": "1899-12-31", "clave_elector": clave_para("1899-12-31", 1)},
        "fecha_nacimiento_invalida",
        "15.8",
    ),
    (
        "fecha futura",
        {"fecha_nacimiento": FUTURA, "clave_elector": clave_para(FUTURA, 1)},
        "fecha_nacimiento_invalida",
        "15.8",
    ),
    ("menor de edad", {"fecha_nacimiento": MENOR, "clave_elector": clave_para(MENOR, 1)}, "menor_de_edad", "15.9"),
    ("clave corta", {"clave_elector": "GOLOMR85031214M70"}, "clave_elector_invalida", "15.10"),
    ("clave con dígito en letras", {"clave_elector": "G0LOMR85031214M700"}, "clave_elector_invalida", "15.10"),
    ("clave con fecha imposible", {"clave_elector": "GOLOMR85023014M700"}, "clave_elector_invalida", "15.10"),
    ("clave con entidad 00", {"clave_elector": "GOLOMR85031200M700"}, "clave_elector_invalida", "15.10"),
    ("clave con entidad 33", {"clave_elector": "GOLOMR85031233M700"}, "clave_elector_invalida", "15.10"),
    ("clave con sexo Z", {"clave_elector": "GOLOMR85031214Z700"}, "clave_elector_invalida", "15.10"),
    ("clave con homoclave no alfanumérica", {"clave_elector": "GOLOMR85031214M7-0"}, "clave_elector_invalida", "15.10"),
    ("clave con otra fecha", {"clave_elector": "GOLOMR85031314M700"}, "clave_elector_no_coincide_con_fecha", "15.11"),
    ("tipo de credencial desconocido", {"tipo_credencial": "pasaporte"}, "tipo_credencial_invalido", "15.12"),
    ("OCR de 12 dígitos", {"ocr": "123456789012"}, "ocr_invalido", "15.13"),
    ("OCR con letra", {"ocr": "123456789012A"}, "ocr_invalido", "15.13"),
    ("México con CIC", {"cic": "123456789"}, "cic_invalido", "15.13"),
    ("extranjero sin CIC", {"tipo_credencial": "extranjero", "ocr": ""}, "cic_invalido", "15.14"),
    ("CIC de 10 dígitos", {"tipo_credencial": "extranjero", "ocr": "", "cic": "1234567890"}, "cic_invalido", "15.14"),
    ("extranjero con OCR", {"tipo_credencial": "extranjero", "cic": "123456789"}, "ocr_invalido", "15.14"),
    ("entidad 33", {"entidad": "33"}, "entidad_invalida", "15.15"),
    ("entidad de un dígito", {"entidad": "9"}, "entidad_invalida", "15.15"),
    ("país México", {"pais": "MX"}, "pais_invalido", "15.16"),
    ("país inexistente", {"pais": "XX"}, "pais_invalido", "15.16"),
    ("país alfa-3", {"pais": "USA"}, "pais_invalido", "15.16"),
    ("calle demasiado corta", {"calle_numero": "A"}, "domicilio_invalido", "15.17"),
    ("ciudad sin letras", {"ciudad": "--"}, "domicilio_invalido", "15.17"),
    ("región con control", {"region": "CA\x07"}, "domicilio_invalido", "15.17"),
    ("código postal con signos", {"codigo_postal": "90$01"}, "domicilio_invalido", "15.17"),
    ("código postal largo", {"codigo_postal": "12345678901"}, "domicilio_invalido", "15.17"),
    ("correo sin arroba", {"correo": "persona.example.com"}, "correo_invalido", "15.18"),
    ("correo sin dominio de nivel superior", {"correo": "persona@localhost"}, "correo_invalido", "15.18"),
    ("correo con puntos dobles", {"correo": "per..sona@example.com"}, "correo_invalido", "15.18"),
    ("correo con TLD numérico", {"correo": "persona@example.123"}, "correo_invalido", "15.18"),
    ("teléfono sin código de país", {"telefono": "213 555 0123"}, "telefono_invalido", "15.19"),
    ("teléfono corto", {"telefono": "+1 555 01"}, "telefono_invalido", "15.19"),
    ("teléfono de 16 dígitos", {"telefono": "+1234567890123456"}, "telefono_invalido", "15.19"),
    ("teléfono con letras", {"telefono": "+1 213 CALL NOW"}, "telefono_invalido", "15.19"),
    ("teléfono que empieza con +0", {"telefono": "+0213555012"}, "telefono_invalido", "15.19"),
    ("modalidad desconocida", {"modalidad": "telegrama"}, "modalidad_invalida", "15.20"),
]


@pytest.mark.parametrize(("cambios", "codigo", "regla"), [c[1:] for c in NEGATIVOS], ids=[c[0] for c in NEGATIVOS])
def test_regla_rechaza_con_su_codigo(
    app: Flask, cliente: FlaskClient, cambios: dict[str, Any], codigo: str, regla: str
) -> None:
    r = cliente.post("/api/v1/srve/solicitudes", json=solicitud(1, **cambios))
    assert r.status_code == 400, r.get_json()
    e = r.get_json()["error"]
    assert (e["codigo"], e["detalles"]["regla"]) == (codigo, regla), e
    assert e["mensaje"]  # en español, para la persona
    assert contar(app) == 0


@pytest.mark.parametrize(("cambios", "codigo", "regla"), [c[1:] for c in NEGATIVOS], ids=[c[0] for c in NEGATIVOS])
def test_regla_en_el_dominio(cambios: dict[str, Any], codigo: str, regla: str) -> None:
    with pytest.raises(ErrorServidor) as e:
        validar_solicitud(solicitud(1, **cambios), HOY)
    assert (e.value.codigo.value, e.value.detalles["regla"]) == (codigo, regla)


def test_solicitud_valida_y_normalizaciones() -> None:
    d = validar_solicitud(
        solicitud(
            1,
            nombres="  María   José ",
            clave_elector=" golomr 850312 14m 700 ",
            correo="  Persona@EXAMPLE.com ",
            telefono="0044 (20) 7946-0958",
            pais="gb",
            codigo_postal="sw1a 1aa",
            tipo_credencial="MEXICO",
            modalidad="Postal",
            ocr="1234 5678 90123",
        ),
        HOY,
    )
    assert d.nombres == "María José"
    assert d.clave_elector == "GOLOMR85031214M700"
    assert d.correo == "persona@example.com"
    assert d.telefono == "+442079460958"
    assert (d.pais, d.codigo_postal, d.tipo_credencial, d.modalidad, d.ocr) == (
        "GB",
        "SW1A 1AA",
        "mexico",
        "postal",
        "1234567890123",
    )


@pytest.mark.parametrize(
    "nombre",
    ["José María", "O'Connor", "Ana-Sofía", "J. Carlos", "Núñez", "Müller", "St. John", "Lê Văn Thành", "de la O"],
)
def test_nombres_validos(nombre: str) -> None:
    assert validar_solicitud(solicitud(1, nombres=nombre), HOY).nombres == nombre


def test_casos_limite_aceptados() -> None:
    # 18 años cumplidos hoy; clave con sexo X; fecha 2000-02-29 (AAMMDD = 000229); sin opcionales.
    for fecha, sexo in ((JUSTO_18, "X"), ("2000-02-29", "H")):
        d = validar_solicitud(
            solicitud(
                1,
                fecha_nacimiento=fecha,
                clave_elector=clave_para(fecha, 5, "32", sexo),
                segundo_apellido="",
                region="",
                codigo_postal="",
            ),
            HOY,
        )
        assert d.fecha_nacimiento == date.fromisoformat(fecha)
    d = validar_solicitud(solicitud(1, tipo_credencial="extranjero", ocr="", cic="987654321"), HOY)
    assert (d.ocr, d.cic) == ("", "987654321")


def test_nombre_largo_no_retrocede_exponencialmente() -> None:
    import time

    inicio = time.monotonic()
    with pytest.raises(ErrorServidor):
        validar_solicitud(solicitud(1, nombres="a " * 59 + "!"), HOY)
    assert time.monotonic() - inicio < 0.5


def test_folio() -> None:
    assert LETRAS_FOLIO[260000123 % 23] == formar_folio("26", "0000123")[-1]  # (15.21)
    folio = formar_folio("26", "0000123")
    assert leer_folio(folio.lower().replace("-", "")) == folio  # (15.22)
    assert leer_folio(" vmre 26 0000123 " + folio[-1].lower()) == folio
    for malo in (
        "VMRE-26-0000123-" + ("A" if folio[-1] != "A" else "B"),
        "VMRE-26-000123-" + folio[-1],
        "VMRE-26-00001230",
        "XVMRE-26-0000123-" + folio[-1],
        "",
    ):
        with pytest.raises(ErrorServidor) as e:
            leer_folio(malo)
        assert e.value.codigo.value == "folio_invalido"
    # Un error en un dígito o el intercambio de dos dígitos contiguos siempre cambia la letra.
    base = "260000123"
    for i in range(9):
        for d in "0123456789":
            if d != base[i]:
                otro = base[:i] + d + base[i + 1 :]
                assert LETRAS_FOLIO[int(otro) % 23] != LETRAS_FOLIO[int(base) % 23]
    for i in range(8):
        if base[i] != base[i + 1]:
            otro = base[:i] + base[i + 1] + base[i] + base[i + 2 :]
            assert LETRAS_FOLIO[int(otro) % 23] != LETRAS_FOLIO[int(base) % 23]


def test_catalogos() -> None:
    assert list(catalogos.ENTIDADES) == [f"{i:02d}" for i in range(1, 33)]
    assert len(catalogos.PAISES) == 249 and "MX" not in catalogos.PAISES_RESIDENCIA
    assert all(len(c) == 2 and c.isupper() for c in catalogos.PAISES)
    assert catalogos.PAISES["US"] == "Estados Unidos de América" and catalogos.PAISES["DE"] == "Alemania"
    assert set(catalogos.CAMPOS_SUBSANABLES) == set(solicitud(1))
    assert {
        "firma",
        "comprobante_domicilio",
        "incompleta",
        "duplicada",
        "documento_apocrifo",
        "datos_inconsistentes",
        "credencial_no_vigente",
    } <= set(catalogos.MOTIVOS_IMPROCEDENCIA)


def test_api_de_catalogos(cliente: FlaskClient) -> None:
    r = cliente.get("/api/v1/srve/catalogos").get_json()
    assert len(r["entidades"]) == 32 and len(r["paises"]) == 248 and "firma" in r["motivos_improcedencia"]
