"""Manifiesto (§4.2): reglas M1–M5, bytes canónicos que entran en H_M y búsquedas por índice."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from vmre_crypto import (
    ConfiguracionEleccion,
    ContextoEleccion,
    Contienda,
    ErrorDecodificacion,
    EstiloBoleta,
    Manifiesto,
    Motivo,
    Opcion,
    deserializar,
    serializar,
)
from vmre_crypto.ejemplo import manifiesto_ejemplo
from vmre_crypto.primitivas.grupo import GRUPO_ESTANDAR
from vmre_crypto.primitivas.parametros import hash_parametros


def _opciones(n: int) -> tuple[Opcion, ...]:
    return tuple(Opcion(i, f"Opción {i}") for i in range(1, n + 1))


def _contiendas(*tamanos: int) -> tuple[Contienda, ...]:
    return tuple(Contienda(i, f"Contienda {i}", 1, _opciones(t)) for i, t in enumerate(tamanos, start=1))


def _valido() -> Manifiesto:
    return Manifiesto("M", _contiendas(3, 2), (EstiloBoleta("A", (1, 2)), EstiloBoleta("B", (2,))))


CASOS_INVALIDOS = {
    "M1 sin contiendas": lambda: Manifiesto("M", (), (EstiloBoleta("A", (1,)),)),
    "M1 contienda sin opciones": lambda: Manifiesto(
        "M", (Contienda(1, "C", 1, ()),), (EstiloBoleta("A", (1,)),)
    ),
    "M2 contienda no empieza en 1": lambda: Manifiesto(
        "M", (Contienda(2, "C", 1, _opciones(2)),), (EstiloBoleta("A", (1,)),)
    ),
    "M2 hueco entre contiendas": lambda: Manifiesto(
        "M",
        (Contienda(1, "C", 1, _opciones(2)), Contienda(3, "D", 1, _opciones(2))),
        (EstiloBoleta("A", (1,)),),
    ),
    "M2 opción no empieza en 1": lambda: Manifiesto(
        "M", (Contienda(1, "C", 1, (Opcion(0, "x"), Opcion(1, "y"))),), (EstiloBoleta("A", (1,)),)
    ),
    "M2 opción repetida": lambda: Manifiesto(
        "M", (Contienda(1, "C", 1, (Opcion(1, "x"), Opcion(1, "y"))),), (EstiloBoleta("A", (1,)),)
    ),
    "M3 límite cero": lambda: Manifiesto(
        "M", (Contienda(1, "C", 0, _opciones(2)),), (EstiloBoleta("A", (1,)),)
    ),
    "M3 límite mayor que las opciones": lambda: Manifiesto(
        "M", (Contienda(1, "C", 3, _opciones(2)),), (EstiloBoleta("A", (1,)),)
    ),
    "M4 sin estilos": lambda: Manifiesto("M", _contiendas(2), ()),
    "M4 estilo repetido": lambda: Manifiesto(
        "M", _contiendas(2), (EstiloBoleta("A", (1,)), EstiloBoleta("A", (1,)))
    ),
    "M5 estilo vacío": lambda: Manifiesto("M", _contiendas(2), (EstiloBoleta("A", ()),)),
    "M5 estilo desordenado": lambda: Manifiesto("M", _contiendas(2, 2), (EstiloBoleta("A", (2, 1)),)),
    "M5 estilo con contienda repetida": lambda: Manifiesto(
        "M", _contiendas(2, 2), (EstiloBoleta("A", (1, 1)),)
    ),
    "M5 contienda 0": lambda: Manifiesto("M", _contiendas(2), (EstiloBoleta("A", (0, 1)),)),
    "M5 contienda inexistente": lambda: Manifiesto("M", _contiendas(2), (EstiloBoleta("A", (1, 2)),)),
}


def test_manifiesto_valido_y_ejemplo_se_construyen() -> None:
    m = _valido()
    assert [c.indice for c in m.contiendas] == [1, 2]
    ejemplo = manifiesto_ejemplo()
    assert [len(c.opciones) for c in ejemplo.contiendas] == [10, 9, 10, 4]
    assert [c.limite_seleccion for c in ejemplo.contiendas] == [1, 1, 1, 2]


@pytest.mark.parametrize("caso", list(CASOS_INVALIDOS), ids=list(CASOS_INVALIDOS))
def test_reglas_m1_a_m5_rechazan(caso: str) -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        CASOS_INVALIDOS[caso]()
    assert e.value.motivo is Motivo.PARAMETRO_INVALIDO
    regla = caso.split()[0]
    assert f"({regla})" in e.value.mensaje


def test_limite_igual_al_numero_de_opciones_es_valido() -> None:
    m = Manifiesto("M", (Contienda(1, "C", 2, _opciones(2)),), (EstiloBoleta("A", (1,)),))
    assert m.contienda(1).limite_seleccion == 2


def test_reglas_se_aplican_tambien_al_decodificar() -> None:
    """Un manifiesto recibido como JSON pasa por las mismas reglas que uno construido en código."""
    documento = json.loads(serializar(_valido()))
    documento["contiendas"][1]["limite_seleccion"] = 5
    with pytest.raises(ErrorDecodificacion) as e:
        deserializar(json.dumps(documento), Manifiesto, None)
    assert e.value.motivo is Motivo.PARAMETRO_INVALIDO
    assert "(M3)" in e.value.mensaje


def test_bytes_canonicos_exactos() -> None:
    """Forma escrita a mano: llaves ordenadas, sin espacios, UTF-8 sin escapes \\u."""
    m = Manifiesto(
        "Consulta",
        (Contienda(1, "Ñandú", 1, (Opcion(1, "Sí"), Opcion(2, "No"))),),
        (EstiloBoleta("única", (1,)),),
    )
    esperado = (
        '{"contiendas":[{"etiqueta":"Ñandú","indice":1,"limite_seleccion":1,'
        '"opciones":[{"etiqueta":"Sí","indice":1},{"etiqueta":"No","indice":2}]}],'
        '"estilos":[{"contiendas":[1],"identificador":"única"}],"etiqueta":"Consulta"}'
    ).encode()
    assert m.bytes_canonicos() == esperado


def test_bytes_canonicos_estables_y_sensibles() -> None:
    a, b = manifiesto_ejemplo(), manifiesto_ejemplo()
    assert a is not b and a.bytes_canonicos() == b.bytes_canonicos()
    assert deserializar(serializar(a), Manifiesto, None).bytes_canonicos() == a.bytes_canonicos()
    otra_etiqueta = Manifiesto(a.etiqueta + " ", a.contiendas, a.estilos)
    assert otra_etiqueta.bytes_canonicos() != a.bytes_canonicos()
    otro_limite = _valido()
    contiendas = (Contienda(1, "Contienda 1", 2, _opciones(3)), otro_limite.contiendas[1])
    assert Manifiesto("M", contiendas, otro_limite.estilos).bytes_canonicos() != otro_limite.bytes_canonicos()


def test_h_m_es_hmac_de_los_bytes_canonicos() -> None:
    """Ecuación (4.2), recalculada con hmac directamente: H_M = H(H_P; 0x01 ∥ bytes canónicos)."""
    m = manifiesto_ejemplo()
    configuracion = ConfiguracionEleccion(5, 3, "2027-06-06", "info", m)
    h_p = hash_parametros(GRUPO_ESTANDAR)
    esperado = hmac.new(h_p, b"\x01" + m.bytes_canonicos(), hashlib.sha256).digest()
    assert configuracion.h_m == esperado
    otra = ConfiguracionEleccion(5, 3, "2027-06-06", "info", _valido())
    assert otra.h_m != esperado and otra.h_b != configuracion.h_b


def test_busqueda_de_estilo_y_contienda() -> None:
    m = manifiesto_ejemplo()
    assert m.estilo("JAL").contiendas == (2, 4)
    assert m.estilo("CHIH").contiendas == (1,)
    assert m.contienda(4).limite_seleccion == 2
    assert m.contienda(1).indice == 1
    with pytest.raises(ErrorDecodificacion) as e:
        m.estilo("jal")
    assert e.value.motivo is Motivo.PARAMETRO_INVALIDO
    assert e.value.detalles == {"estilo": "jal"}
    for indice in (0, 5, -1):
        with pytest.raises(ErrorDecodificacion) as e:
            m.contienda(indice)
        assert e.value.motivo is Motivo.PARAMETRO_INVALIDO


@pytest.mark.parametrize(("n", "k"), [(5, 0), (5, 6), (0, 0), (3, -1)])
def test_configuracion_exige_1_k_n(n: int, k: int) -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        ConfiguracionEleccion(n, k, "2027-06-06", "info", _valido())
    assert e.value.motivo is Motivo.PARAMETRO_INVALIDO


def test_configuracion_limites_validos() -> None:
    for n, k in [(1, 1), (5, 5), (5, 1)]:
        assert ConfiguracionEleccion(n, k, "2027-06-06", "i", _valido()).cuorum == k


def test_contexto_rechaza_llave_uno() -> None:
    configuracion = ConfiguracionEleccion(5, 3, "2027-06-06", "i", _valido())
    with pytest.raises(ErrorDecodificacion) as e:
        ContextoEleccion.crear(configuracion, GRUPO_ESTANDAR.uno)
    assert e.value.motivo is Motivo.PARAMETRO_INVALIDO
    contexto = ContextoEleccion.crear(configuracion, GRUPO_ESTANDAR.generador)
    assert contexto.manifiesto is configuracion.manifiesto
    assert contexto.h_b == configuracion.h_b and contexto.h_e != contexto.h_b


@pytest.mark.parametrize("fecha", ["6 de junio", "2027-6-6", "2027-06-06T00", ""])
def test_fecha_con_forma_fija(fecha: str) -> None:
    """H_B concatenates date and info without length prefixes: the date form is fixed."""
    with pytest.raises(ErrorDecodificacion) as info:
        ConfiguracionEleccion(5, 3, fecha, "i", _valido())
    assert info.value.motivo is Motivo.PARAMETRO_INVALIDO
