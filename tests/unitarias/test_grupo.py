"""El grupo estándar, ElementoQ, ElementoP y las pruebas de pertenencia (una a una y por lotes)."""

from __future__ import annotations

import secrets

import gmpy2
import pytest
from gmpy2 import mpz

from vmre_crypto.errores import ErrorDecodificacion, Motivo
from vmre_crypto.primitivas.grupo import DELTA_ESTANDAR, GRUPO_ESTANDAR, ElementoP, ElementoQ, Grupo

G = GRUPO_ESTANDAR
P, Q, GEN = int(G.p), int(G.q), int(G.g)
R = (P - 1) // Q
# Grupo de juguete (p = 2q + 1 seguro) para comprobar que no se mezclan grupos.
JUGUETE = Grupo(nombre="juguete", p=mpz(2039), q=mpz(1019), g=mpz(4))


def _miembro() -> int:
    return pow(GEN, secrets.randbelow(Q - 1) + 1, P)


def _componente_grande() -> int:
    """h = y^(2q): símbolo de Jacobi +1, orden (p−1)/(2q), fuera del subgrupo de orden q."""
    while True:
        h = pow(secrets.randbelow(P - 3) + 2, 2 * Q, P)
        if h != 1:
            return h


def _motivo(excinfo: pytest.ExceptionInfo) -> Motivo:
    return excinfo.value.motivo


# -- parámetros ------------------------------------------------------------------------
def test_parametros_estandar() -> None:
    assert Q == 2**256 - 189
    assert G.bytes_p == 512 and G.bytes_q == 32
    assert int(G.r) == R and R * Q == P - 1
    assert GEN == pow(2, R, P)


def test_p_sigue_la_formula_con_delta() -> None:
    """p = 2^4096 − 2^3840 + 2^256·(⌊2^3584·ln 2⌋ + δ) + (2^256 − 1), con ln 2 de MPFR."""
    contexto = gmpy2.get_context().copy()
    contexto.precision = 3800
    with gmpy2.context(contexto):
        piso = int(gmpy2.floor(gmpy2.mul_2exp(gmpy2.log(2), 3584)))
    assert piso.bit_length() == 3584
    formula = 2**4096 - 2**3840 + 2**256 * (piso + DELTA_ESTANDAR) + (2**256 - 1)
    assert formula == P
    assert (
        DELTA_ESTANDAR == 287975203778583638958138611533602521491887169409704874643524560756486080635197037903
    )


def test_igualdad_y_hash_de_grupos() -> None:
    copia = Grupo(nombre="otro nombre", p=G.p, q=G.q, g=G.g)
    assert copia == G and hash(copia) == hash(G)
    assert Grupo(nombre="x", p=G.p, q=G.q, g=mpz(pow(GEN, 2, P))) != G
    assert JUGUETE != G
    assert G != "grupo"


def test_tabla_en_cache_y_g_a_la() -> None:
    assert G.tabla(G.g) is G.tabla(G.g)
    for e in (0, 1, Q - 1, secrets.randbelow(Q)):
        assert int(G.g_a_la(e)) == pow(GEN, e, P)
        assert int(G.g_a_la(ElementoQ(e, G))) == pow(GEN, e, P)
    assert int(G.generador) == GEN and int(G.uno) == 1


# -- ElementoQ -------------------------------------------------------------------------
@pytest.mark.parametrize("valor", [0, 1, Q - 1, mpz(Q - 1), 2**255])
def test_elemento_q_acepta(valor: int) -> None:
    assert int(ElementoQ(valor, G)) == valor
    assert int(G.q_elemento(valor)) == valor


@pytest.mark.parametrize("valor", [-1, Q, Q + 1, 2**256, mpz(-5), mpz(Q)])
def test_elemento_q_rechaza_fuera_de_rango(valor: int) -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        ElementoQ(valor, G)
    assert _motivo(e) is Motivo.FUERA_DE_RANGO_Q


@pytest.mark.parametrize("valor", [True, False, 1.0, "1", b"\x01", None, [1]])
def test_elemento_q_rechaza_no_enteros(valor: object) -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        ElementoQ(valor, G)  # type: ignore[arg-type]
    assert _motivo(e) is Motivo.TIPO_INVALIDO


def test_aritmetica_de_elemento_q() -> None:
    a, b = secrets.randbelow(Q), secrets.randbelow(Q)
    x, y = ElementoQ(a, G), ElementoQ(b, G)
    assert int(x + y) == (a + b) % Q and int(x + 5) == (a + 5) % Q and int(5 + x) == (a + 5) % Q
    assert int(x - y) == (a - b) % Q and int(3 - x) == (3 - a) % Q
    assert int(x * y) == a * b % Q and int(2 * x) == 2 * a % Q
    assert int(-x) == (-a) % Q and int(-ElementoQ(0, G)) == 0
    assert int(ElementoQ(Q - 1, G) + 1) == 0
    assert x == ElementoQ(a, G) and hash(x) == hash(ElementoQ(a, G))
    assert x != ElementoQ((a + 1) % Q, G)
    with pytest.raises(AttributeError):
        x.valor = mpz(3)  # type: ignore[misc]


def test_elemento_q_de_otro_grupo() -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        ElementoQ(3, G) + ElementoQ(3, JUGUETE)
    assert _motivo(e) is Motivo.GRUPO_DISTINTO
    assert ElementoQ(3, G) != ElementoQ(3, JUGUETE)


def test_repr_de_elemento_q_no_revela_el_valor() -> None:
    for v in (secrets.randbelow(Q), 123456789, 0xDEADBEEFCAFE, Q - 1):
        texto = repr(ElementoQ(v, G)) + str(ElementoQ(v, G))
        for forma in (str(v), format(v, "x"), format(v, "X"), str(v)[-6:], format(v, "x")[-6:]):
            assert forma not in texto
        assert "oculto" in texto


# -- ElementoP -------------------------------------------------------------------------
def test_elemento_p_acepta_miembros() -> None:
    for x in (1, GEN, _miembro(), pow(GEN, Q - 1, P)):
        assert int(ElementoP(x, G)) == x
        assert int(G.p_elemento(mpz(x))) == x


@pytest.mark.parametrize("valor", [0, -1, P, P + 1, 2**4096])
def test_elemento_p_rechaza_fuera_de_rango(valor: int) -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        ElementoP(valor, G)
    assert _motivo(e) is Motivo.FUERA_DE_RANGO_P


def test_elemento_p_rechaza_no_miembros() -> None:
    assert pow(P - 1, 2, P) == 1  # p − 1 tiene orden 2
    assert pow(2, Q, P) != 1  # 2 no está en el subgrupo de orden q (aunque su Jacobi es +1)
    assert gmpy2.jacobi(2, P) == 1
    h = _componente_grande()
    for x in (P - 1, 2, h, _miembro() * h % P, P - _miembro()):
        with pytest.raises(ErrorDecodificacion) as e:
            ElementoP(x, G)
        assert _motivo(e) is Motivo.NO_ES_MIEMBRO_SUBGRUPO
        assert not G.es_miembro(x)


@pytest.mark.parametrize("valor", [True, 1.0, "1", None])
def test_elemento_p_rechaza_no_enteros(valor: object) -> None:
    with pytest.raises(ErrorDecodificacion) as e:
        ElementoP(valor, G)  # type: ignore[arg-type]
    assert _motivo(e) is Motivo.TIPO_INVALIDO


def test_aritmetica_de_elemento_p() -> None:
    a, b = secrets.randbelow(Q), secrets.randbelow(Q)
    x, y = G.g_a_la(a), G.g_a_la(b)
    assert int(x * y) == pow(GEN, a + b, P)
    assert int(x**b) == pow(GEN, a * b, P)
    assert int(x ** ElementoQ(b, G)) == pow(GEN, a * b, P)
    assert int(x**-1) == pow(GEN, -a % Q, P)
    assert int(x ** (Q + 2)) == pow(GEN, 2 * a, P)
    assert int(x.potencia_secreta(ElementoQ(b, G))) == pow(GEN, a * b, P)
    assert int(x.potencia_secreta(ElementoQ(0, G))) == 1
    assert int(x.inverso()) * int(x) % P == 1
    assert x / y == G.g_a_la(a - b) and (x / x) == G.uno
    assert x == ElementoP(int(x), G) and hash(x) == hash(ElementoP(int(x), G))
    assert x != y
    with pytest.raises(AttributeError):
        x.valor = mpz(1)  # type: ignore[misc]
    with pytest.raises(ErrorDecodificacion) as e:
        x * ElementoP(4, JUGUETE)
    assert _motivo(e) is Motivo.GRUPO_DISTINTO


def test_es_miembro() -> None:
    assert G.es_miembro(1) and G.es_miembro(GEN) and G.es_miembro(_miembro())
    for x in (0, P, P + GEN, -GEN, P - 1, 2):
        assert not G.es_miembro(x)


# -- pertenencia por lotes (V-G2) --------------------------------------------------------
@pytest.fixture
def lote() -> list[int]:
    return [_miembro() for _ in range(6)]


def test_lote_de_miembros(lote: list[int]) -> None:
    assert G.son_miembros(lote)
    assert G.son_miembros([])
    assert G.son_miembros([lote[0]])
    assert G.son_miembros([1, 1, GEN])
    elementos = G.elementos_p(lote)
    assert [int(e) for e in elementos] == lote
    assert all(isinstance(e, ElementoP) for e in elementos)
    assert G.elementos_p([]) == []


def test_lote_con_menos_x_siempre_falla(lote: list[int]) -> None:
    """Ataque de Boyd–Pavlovski: −x pasa el exponente por lotes con probabilidad ½ si no se
    comprueba Jacobi; repetido 24 veces, una implementación sin Jacobi fallaría este test."""
    for _ in range(24):
        malo = list(lote)
        malo[2] = P - malo[2]
        assert not G.son_miembros(malo)
    # Dos −x en el mismo lote: sin Jacobi se cancelarían con probabilidad ½.
    for _ in range(8):
        malo = list(lote)
        malo[0], malo[4] = P - malo[0], P - malo[4]
        assert not G.son_miembros(malo)
    assert not G.son_miembros([P - lote[0]])


def test_lote_con_jacobi_mas_uno_pero_fuera_del_subgrupo(lote: list[int]) -> None:
    h = _componente_grande()
    assert pow(h, R // 2, P) == 1  # orden divide (p−1)/(2q)
    malo_valor = lote[3] * h % P
    assert gmpy2.jacobi(malo_valor, P) == 1
    assert pow(malo_valor, Q, P) != 1
    malo = list(lote)
    malo[3] = malo_valor
    assert not G.son_miembros(malo)
    assert not G.son_miembros([malo_valor])
    assert not G.son_miembros([2, *lote])


def test_lote_con_componentes_que_se_cancelan(lote: list[int]) -> None:
    """x_1·h y x_2·h^(−1): el producto sin exponentes aleatorios (o con exponentes iguales)
    estaría en el subgrupo; con exponentes aleatorios independientes no lo está."""
    h = _componente_grande()
    h_inv = pow(h, -1, P)
    malo = list(lote)
    malo[1] = lote[1] * h % P
    malo[4] = lote[4] * h_inv % P
    assert pow(malo[1] * malo[4], Q, P) == 1  # la cancelación existe
    for _ in range(5):
        assert not G.son_miembros(malo)
    assert not G.son_miembros([malo[1], malo[4]])
    with pytest.raises(ErrorDecodificacion) as e:
        G.elementos_p(malo)
    assert e.value.detalles == {"campo": "elemento", "indice": 1}


def test_elementos_p_nombra_el_indice(lote: list[int]) -> None:
    h = _componente_grande()
    casos = [(3, P - lote[3]), (5, lote[5] * h % P), (0, 2), (1, P - 1)]
    for indice, valor in casos:
        malo = list(lote)
        malo[indice] = valor
        with pytest.raises(ErrorDecodificacion) as e:
            G.elementos_p(malo, campo="compromiso")
        assert _motivo(e) is Motivo.NO_ES_MIEMBRO_SUBGRUPO
        assert e.value.detalles == {"campo": "compromiso", "indice": indice}


@pytest.mark.parametrize("valor", [0, P, P + 5, -1])
def test_elementos_p_fuera_de_rango_nombra_el_indice(lote: list[int], valor: int) -> None:
    malo = list(lote)
    malo[4] = valor
    with pytest.raises(ErrorDecodificacion) as e:
        G.elementos_p(malo)
    assert _motivo(e) is Motivo.FUERA_DE_RANGO_P
    assert e.value.detalles == {"campo": "elemento", "indice": 4}
    assert not G.son_miembros(malo)


def test_mensaje_de_error_no_incluye_el_valor(lote: list[int]) -> None:
    malo = list(lote)
    malo[1] = P - lote[1]
    with pytest.raises(ErrorDecodificacion) as e:
        G.elementos_p(malo)
    assert format(malo[1], "X")[:12] not in str(e.value)
    assert str(malo[1])[:12] not in str(e.value)
    assert e.value.como_dict()["codigo"] == "no_es_miembro_subgrupo"


@pytest.mark.parametrize("valor", [1.9, True, "1", None])
def test_elementos_p_rechaza_no_enteros(valor: object) -> None:
    with pytest.raises(ErrorDecodificacion) as info:
        G.elementos_p([G.g, valor])  # type: ignore[list-item]
    assert info.value.motivo is Motivo.TIPO_INVALIDO
    assert info.value.detalles["indice"] == 1


def test_cache_de_tablas_acotada() -> None:
    """Only g's table is permanent; other bases live in a bounded LRU cache."""
    from vmre_crypto.primitivas import grupo as modulo

    local = Grupo("copia", G.p, G.q, G.g)
    local.tabla(local.g)
    bases = [gmpy2.powmod(G.g, 1000 + i, G.p) for i in range(modulo.TABLAS_EN_CACHE + 3)]
    for base in bases:
        assert local.tabla(base).potencia(5) == gmpy2.powmod(base, 5, G.p)
    assert int(local.g) in local._tablas
    assert len(local._tablas) == modulo.TABLAS_EN_CACHE + 1
    assert int(bases[-1]) in local._tablas and int(bases[0]) not in local._tablas
