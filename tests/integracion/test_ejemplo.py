"""La elección completa: el trabajo principal ``correr_ejemplo`` y una elección de extremo a extremo.

``test_eleccion_de_extremo_a_extremo`` recorre las fases de la elección en pasos numerados
(``paso_0_configuracion`` … ``paso_5_publicacion_y_verificacion``) usando solo la API pública
``from vmre_crypto import …``: lo mismo que harían el servidor, los custodios, los electores
y un auditor que solo tiene los documentos JSON publicados.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from vmre_crypto import (
    GRUPO_ESTANDAR,
    AperturaBoleta,
    BoletaCifrada,
    CombinadorDescifrado,
    ComparticionCifrada,
    CompromisosCustodio,
    ConfiguracionEleccion,
    ConfirmacionComparticiones,
    ConfirmacionRegistro,
    ContextoEleccion,
    CoordinadorCeremonia,
    Custodio,
    DescifradoParcial,
    DescifradorCustodio,
    ElementoP,
    ErrorVerificacion,
    EscrutinioCifrado,
    Manifiesto,
    Motivo,
    ParCredencial,
    RegistroLlaves,
    RespuestaDescifrado,
    ResultadoDescifrado,
    RetosDescifrado,
    a_json,
    abrir_boleta,
    acumular,
    ceremonia_en_proceso,
    cifrar_boleta,
    construir_registro,
    desde_json,
    deserializar,
    generar_credencial,
    hash_lista_credenciales,
    serializar,
    texto_canonico,
    verificar_boleta,
    verificar_compromisos,
    verificar_resultado,
)
from vmre_crypto.ejemplo import ResumenEjemplo, correr_ejemplo, manifiesto_ejemplo
from vmre_crypto.primitivas import _aritmetica as ar
from vmre_crypto.testing.azar import con_semilla

G = GRUPO_ESTANDAR


# -- el trabajo principal --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def resumen() -> ResumenEjemplo:
    return correr_ejemplo(boletas=30, semilla=1)


def test_ejemplo_coincide(resumen: ResumenEjemplo) -> None:
    assert resumen.coincide is True
    assert resumen.resultado.conteos() == resumen.esperado
    assert resumen.boletas_depositadas == 30 and resumen.boletas_desafiadas == 5
    assert len(resumen.resultado.cuorum) == 3
    # Cada boleta marca al menos una opción en cada contienda de su estilo.
    marcas = sum(sum(opciones.values()) for opciones in resumen.esperado.values())
    assert marcas >= 30
    assert set(resumen.tiempos) == {"ceremonia", "votacion", "escrutinio", "descifrado"}


def test_ejemplo_no_deja_instalada_la_semilla(resumen: ResumenEjemplo) -> None:
    assert ar._fuente_de_prueba is None
    assert G.aleatorio_q() != G.aleatorio_q()


def test_misma_semilla_mismos_resultados(resumen: ResumenEjemplo) -> None:
    otra = correr_ejemplo(boletas=30, semilla=1)
    assert otra.esperado == resumen.esperado
    assert serializar(otra.resultado) == serializar(resumen.resultado)
    assert otra.configuracion == resumen.configuracion


def test_misma_semilla_mismo_registro(resumen: ResumenEjemplo) -> None:
    configuracion = resumen.configuracion

    def registro(semilla: int | None) -> str:
        if semilla is None:
            return serializar(ceremonia_en_proceso(configuracion)[1])
        with con_semilla(semilla):
            return serializar(ceremonia_en_proceso(configuracion)[1])

    primero = registro(1)
    assert registro(1) == primero
    assert registro(2) != primero
    assert registro(None) != primero


def test_el_resumen_detecta_una_discrepancia(resumen: ResumenEjemplo) -> None:
    """``coincide`` compara de verdad: con un conteo esperado distinto deja de coincidir."""
    esperado = {c: dict(o) for c, o in resumen.esperado.items()}
    esperado[1][1] += 1
    alterado = ResumenEjemplo(
        resumen.configuracion,
        resumen.boletas_depositadas,
        resumen.boletas_desafiadas,
        resumen.resultado,
        esperado,
    )
    assert alterado.coincide is False


# -- elección de extremo a extremo en pasos numerados ---------------------------------------------------
VOTOS: list[tuple[str, dict[int, tuple[int, ...]]]] = [
    ("CHIH", {1: (7,)}),
    ("CHIH", {1: (8,)}),
    ("JAL", {2: (7,), 4: (1, 2)}),
    ("JAL", {2: (7,), 4: ()}),
    ("ZAC", {3: (8,)}),
    ("ZAC", {3: (10,)}),
    ("JAL", {2: (1,), 4: (2,)}),
]


@dataclass
class Eleccion:
    """Estado de la elección; cada paso solo usa lo publicado por los pasos anteriores."""

    manifiesto: Manifiesto | None = None
    configuracion: ConfiguracionEleccion | None = None
    custodios: list[Custodio] = field(default_factory=list)
    registro: RegistroLlaves | None = None
    contexto: ContextoEleccion | None = None
    credenciales: list[ParCredencial] = field(default_factory=list)
    h_c: bytes = b""
    urna: dict[str, BoletaCifrada] = field(default_factory=dict)
    desafiadas: list[tuple[BoletaCifrada, AperturaBoleta]] = field(default_factory=list)
    escrutinio: EscrutinioCifrado | None = None
    resultado: ResultadoDescifrado | None = None
    publicado: dict[str, str] = field(default_factory=dict)


def _por_la_red(mensaje, clase):
    """Todo mensaje cruza la red como texto canónico y se decodifica con validación completa."""
    return deserializar(serializar(mensaje), clase, G)


def paso_0_configuracion(e: Eleccion) -> None:
    e.manifiesto = manifiesto_ejemplo()
    e.configuracion = ConfiguracionEleccion(
        5, 3, "2027-06-06", "Simulacro de extremo a extremo", e.manifiesto
    )
    assert e.configuracion.h_b != e.configuracion.h_m != e.configuracion.h_p


def paso_1_ceremonia_de_llaves(e: Eleccion) -> None:
    configuracion = e.configuracion
    coordinador = CoordinadorCeremonia(configuracion)
    e.custodios = [Custodio.nuevo(configuracion, i, f"Custodia {i}") for i in range(1, 6)]
    for custodio in e.custodios:
        coordinador.recibir_compromisos(_por_la_red(custodio.publicar_compromisos(), CompromisosCustodio))
    publicados = [_por_la_red(m, CompromisosCustodio) for m in coordinador.compromisos()]
    for custodio in e.custodios:
        assert custodio.recibir_compromisos(publicados) == ()
    for custodio in e.custodios:
        for mensaje in custodio.comparticiones():
            coordinador.recibir_comparticion(_por_la_red(mensaje, ComparticionCifrada))
    for custodio in e.custodios:
        recibidas = [
            _por_la_red(m, ComparticionCifrada) for m in coordinador.comparticiones_para(custodio.indice)
        ]
        resultado = custodio.recibir_comparticiones(recibidas)
        assert isinstance(resultado, ConfirmacionComparticiones)
        coordinador.recibir_resultado_comparticiones(_por_la_red(resultado, ConfirmacionComparticiones))
    registro = _por_la_red(coordinador.registro(), RegistroLlaves)
    for custodio in e.custodios:
        coordinador.recibir_confirmacion_registro(
            _por_la_red(custodio.confirmar_registro(registro), ConfirmacionRegistro)
        )
    e.registro, e.contexto = coordinador.finalizar()


def paso_2_credenciales(e: Eleccion) -> None:
    e.credenciales = [generar_credencial(e.contexto.grupo) for _ in VOTOS]
    e.h_c = hash_lista_credenciales(e.contexto.h_p, [c.publica for c in e.credenciales])


def paso_3_votacion(e: Eleccion) -> None:
    contexto = e.contexto
    publicas = {int(c.publica) for c in e.credenciales}
    for numero, ((estilo, marcas), credencial) in enumerate(zip(VOTOS, e.credenciales, strict=True)):
        if numero % 3 == 0:
            # El elector desafía una primera boleta: el servidor la abre y nunca la cuenta.
            desafiada = cifrar_boleta(contexto, estilo, marcas, credencial)
            boleta = _por_la_red(desafiada.boleta, BoletaCifrada)
            apertura = _por_la_red(desafiada.apertura(), AperturaBoleta)
            verificar_boleta(contexto, boleta)
            assert abrir_boleta(contexto, boleta, apertura) == {
                c: marcas.get(c, ()) for c in contexto.manifiesto.estilo(estilo).contiendas
            }
            e.desafiadas.append((boleta, apertura))
        preparada = cifrar_boleta(contexto, estilo, marcas, credencial)
        boleta = _por_la_red(preparada.boleta, BoletaCifrada)
        # El servidor: boleta válida, credencial de la lista, un voto por credencial.
        verificar_boleta(contexto, boleta)
        assert int(boleta.credencial) in publicas
        assert all(int(b.credencial) != int(boleta.credencial) for b in e.urna.values())
        e.urna[boleta.id_boleta] = boleta


def paso_4_escrutinio_y_descifrado(e: Eleccion) -> None:
    contexto = e.contexto
    e.escrutinio = acumular(contexto, e.urna.values())
    # El servidor anuncia el cuórum U = {1, 3, 4}; el anuncio también cruza la red como JSON.
    cuorum = (1, 3, 4)
    combinador = CombinadorDescifrado(
        contexto, e.registro, _por_la_red(e.escrutinio, EscrutinioCifrado), cuorum
    )
    anunciado = desde_json(tuple[int, ...], json.loads(texto_canonico(a_json(cuorum))), None)
    presentes = [DescifradorCustodio(contexto, e.custodios[i - 1].llave()) for i in anunciado]
    for descifrador in presentes:
        combinador.recibir_parcial(
            _por_la_red(descifrador.descifrado_parcial(e.escrutinio, anunciado), DescifradoParcial)
        )
    retos = _por_la_red(combinador.retos(), RetosDescifrado)
    for descifrador in presentes:
        combinador.recibir_respuesta(_por_la_red(descifrador.responder(retos), RespuestaDescifrado))
    e.resultado = combinador.resultado()


def paso_5_publicacion_y_verificacion(e: Eleccion) -> None:
    e.publicado = {
        "manifiesto": serializar(e.manifiesto),
        "configuracion": serializar(e.configuracion),
        "registro": serializar(e.registro),
        "credenciales": texto_canonico(a_json(sorted((c.publica for c in e.credenciales), key=int))),
        "boletas": "\n".join(serializar(b) for b in e.urna.values()),
        "desafiadas": "\n".join(serializar(b) for b, _ in e.desafiadas),
        "aperturas": "\n".join(serializar(a) for _, a in e.desafiadas),
        "escrutinio": serializar(e.escrutinio),
        "resultado": serializar(e.resultado),
    }
    auditar(e.publicado, e.h_c)


def auditar(publicado: dict[str, str], h_c: bytes) -> dict[int, dict[int, int]]:
    """Lo que hace un auditor con los documentos publicados, y nada más."""
    configuracion = deserializar(publicado["configuracion"], ConfiguracionEleccion, None)
    assert deserializar(publicado["manifiesto"], Manifiesto, None) == configuracion.manifiesto
    registro = deserializar(publicado["registro"], RegistroLlaves, G)
    for mensaje in registro.compromisos:
        verificar_compromisos(configuracion, mensaje)
    assert construir_registro(configuracion, registro.compromisos) == registro
    contexto = ContextoEleccion.crear(configuracion, registro.llave_conjunta)
    assert contexto.h_e == registro.h_e

    publicas = desde_json(tuple[ElementoP, ...], json.loads(publicado["credenciales"]), G)
    assert hash_lista_credenciales(contexto.h_p, publicas) == h_c
    boletas = [deserializar(t, BoletaCifrada, G) for t in publicado["boletas"].splitlines()]
    for boleta in boletas:
        verificar_boleta(contexto, boleta)
        assert boleta.credencial in publicas
    assert len({int(b.credencial) for b in boletas}) == len(boletas)
    desafiadas = publicado["desafiadas"].splitlines()
    aperturas = publicado["aperturas"].splitlines()
    assert len(desafiadas) == len(aperturas)
    for texto_boleta, texto_apertura in zip(desafiadas, aperturas, strict=True):
        desafiada = deserializar(texto_boleta, BoletaCifrada, G)
        abrir_boleta(contexto, desafiada, deserializar(texto_apertura, AperturaBoleta, G))
        assert desafiada.id_boleta not in {b.id_boleta for b in boletas}

    escrutinio = deserializar(publicado["escrutinio"], EscrutinioCifrado, G)
    assert acumular(contexto, boletas) == escrutinio
    resultado = deserializar(publicado["resultado"], ResultadoDescifrado, G)
    verificar_resultado(contexto, escrutinio, resultado)
    return resultado.conteos()


def test_eleccion_de_extremo_a_extremo(contar_marcas) -> None:
    eleccion = Eleccion()
    paso_0_configuracion(eleccion)
    paso_1_ceremonia_de_llaves(eleccion)
    paso_2_credenciales(eleccion)
    paso_3_votacion(eleccion)
    paso_4_escrutinio_y_descifrado(eleccion)
    paso_5_publicacion_y_verificacion(eleccion)

    esperado = contar_marcas([marcas for _, marcas in VOTOS])
    assert eleccion.resultado.conteos() == esperado
    assert auditar(eleccion.publicado, eleccion.h_c) == esperado
    assert len(eleccion.urna) == len(VOTOS) and len(eleccion.desafiadas) == 3
    assert eleccion.resultado.cuorum == (1, 3, 4)

    # El auditor sí puede fallar: una boleta retirada del tablero o un conteo cambiado.
    sin_una = dict(eleccion.publicado, boletas="\n".join(eleccion.publicado["boletas"].splitlines()[1:]))
    with pytest.raises(AssertionError):
        auditar(sin_una, eleccion.h_c)
    documento = json.loads(eleccion.publicado["resultado"])
    documento["opciones"][6]["conteo"] += 1
    cambiado = dict(eleccion.publicado, resultado=texto_canonico(documento))
    with pytest.raises(ErrorVerificacion) as e:
        auditar(cambiado, eleccion.h_c)
    assert e.value.motivo is Motivo.DESCIFRADO_INCONSISTENTE
