"""Elección completa en un proceso: el trabajo principal ``vmre ejemplo`` (§12 de la especificación).

Ceremonia con 5 custodios y cuórum 3, un manifiesto de varias contiendas con estilos por
entidad, cientos de boletas cifradas y firmadas con credenciales, algunos desafíos de
Benaloh, escrutinio homomórfico, descifrado por exactamente 3 custodios y comprobación de
que los conteos descifrados coinciden con las marcas originales.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .boletas import BoletaCifrada, abrir_boleta, cifrar_boleta, verificar_boleta
from .ceremonia import ceremonia_en_proceso
from .credenciales import generar_credencial
from .descifrado import ResultadoDescifrado, descifrar_con_mensajes, verificar_resultado
from .eleccion import ConfiguracionEleccion
from .escrutinio import acumular
from .manifiesto import Contienda, EstiloBoleta, Manifiesto, Opcion
from .registro.escritor import EscritorRegistro, reloj_fijo, reloj_utc
from .testing.azar import con_semilla

__all__ = ["ResumenEjemplo", "correr_ejemplo", "manifiesto_ejemplo", "manifiesto_gubernatura"]

_PARTIDOS = ["PAN", "PRI", "PRD", "PVEM", "PT", "MC", "MORENA"]


def _opciones(etiquetas: list[str]) -> tuple[Opcion, ...]:
    return tuple(Opcion(i, e) for i, e in enumerate(etiquetas, start=1))


def manifiesto_gubernatura(opciones: int = 10) -> Manifiesto:
    """La boleta de referencia «gubernatura-10»: una contienda, ``opciones`` opciones, se vota 1."""
    etiquetas = [*_PARTIDOS, "PAN-PRI-PRD", "Candidatura no registrada", "Voto nulo"]
    while len(etiquetas) < opciones:
        etiquetas.insert(-2, f"Coalición {len(etiquetas)}")
    etiquetas = etiquetas[: opciones - 2] + etiquetas[-2:]
    contienda = Contienda(1, "Gubernatura", 1, _opciones(etiquetas))
    return Manifiesto("Gubernatura (boleta de referencia)", (contienda,), (EstiloBoleta("unico", (1,)),))


def manifiesto_ejemplo() -> Manifiesto:
    """Proceso local con gubernaturas en tres entidades y una diputación de elección múltiple."""
    comunes = ["Candidatura no registrada", "Voto nulo"]
    contiendas = (
        Contienda(1, "Gubernatura de Chihuahua", 1, _opciones([*_PARTIDOS, "PAN-PRI-PRD", *comunes])),
        Contienda(2, "Gubernatura de Jalisco", 1, _opciones([*_PARTIDOS, *comunes])),
        Contienda(3, "Gubernatura de Zacatecas", 1, _opciones([*_PARTIDOS, "PT-PVEM-MORENA", *comunes])),
        Contienda(
            4, "Diputación migrante (elige hasta 2)", 2, _opciones(["Fórmula A", "Fórmula B", "Fórmula C", "Fórmula D"])
        ),
    )
    estilos = (
        EstiloBoleta("CHIH", (1,)),
        EstiloBoleta("JAL", (2, 4)),
        EstiloBoleta("ZAC", (3,)),
    )
    return Manifiesto("Proceso Electoral Local — voto desde el extranjero (ejemplo)", contiendas, estilos)


@dataclass
class ResumenEjemplo:
    configuracion: ConfiguracionEleccion
    boletas_depositadas: int
    boletas_desafiadas: int
    resultado: ResultadoDescifrado
    esperado: dict[int, dict[int, int]]
    tiempos: dict[str, float] = field(default_factory=dict)

    @property
    def coincide(self) -> bool:
        return self.resultado.conteos() == self.esperado


def correr_ejemplo(
    boletas: int = 300,
    custodios: int = 5,
    cuorum: int = 3,
    desafios: int = 5,
    semilla: int | None = None,
    progreso: Callable[[str], None] | None = None,
    salida: Path | None = None,
) -> ResumenEjemplo:
    """Corre la elección completa; con ``semilla`` todo el azar es reproducible (solo ejemplos).

    Con ``salida`` escribe además el registro publicado (``tablero.jsonl``, §14) en ese directorio,
    que no debe contener ya un registro.
    """
    if semilla is not None:
        with con_semilla(semilla):
            return _correr(boletas, custodios, cuorum, desafios, random.Random(semilla), progreso, salida, True)
    return _correr(boletas, custodios, cuorum, desafios, random.Random(), progreso, salida, False)


def _correr(
    boletas: int,
    n: int,
    k: int,
    desafios: int,
    azar_votos: random.Random,
    progreso: Callable[[str], None] | None,
    salida: Path | None,
    determinista: bool,
) -> ResumenEjemplo:
    avisar = progreso or (lambda _texto: None)
    manifiesto = manifiesto_ejemplo()
    configuracion = ConfiguracionEleccion(n, k, "2027-06-06", "Simulacro VMRE (ejemplo en proceso)", manifiesto)
    reloj = reloj_fijo() if determinista else reloj_utc
    if salida is None:
        return _fases(configuracion, boletas, desafios, azar_votos, avisar, None)
    with EscritorRegistro(salida, configuracion, reloj) as escritor:
        return _fases(configuracion, boletas, desafios, azar_votos, avisar, escritor)


def _fases(
    configuracion: ConfiguracionEleccion,
    boletas: int,
    desafios: int,
    azar_votos: random.Random,
    avisar: Callable[[str], None],
    escritor: EscritorRegistro | None,
) -> ResumenEjemplo:
    tiempos: dict[str, float] = {}
    manifiesto = configuracion.manifiesto
    n, k = configuracion.custodios, configuracion.cuorum

    t0 = time.perf_counter()
    avisar(f"Ceremonia de llaves: {n} custodios, cuórum {k}")
    custodios, registro, contexto = ceremonia_en_proceso(configuracion)
    credenciales = [generar_credencial(contexto.grupo) for _ in range(boletas)]
    if escritor is not None:
        escritor.ceremonia(registro)
        h_c = escritor.credenciales(c.publica for c in credenciales)
        escritor.acta_inicio(contexto, registro, h_c)
    tiempos["ceremonia"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    avisar(f"Votación: {boletas} boletas cifradas y firmadas, {desafios} desafíos de Benaloh")
    esperado = {c.indice: {o.indice: 0 for o in c.opciones} for c in manifiesto.contiendas}
    depositadas: list[BoletaCifrada] = []
    desafiadas = 0
    for numero, credencial in enumerate(credenciales):
        estilo = azar_votos.choice(manifiesto.estilos)
        marcas: dict[int, tuple[int, ...]] = {}
        for indice in estilo.contiendas:
            contienda = manifiesto.contienda(indice)
            cuantas = azar_votos.randint(1, contienda.limite_seleccion)
            marcas[indice] = tuple(sorted(azar_votos.sample([o.indice for o in contienda.opciones], cuantas)))
        if numero < desafios:
            # El elector desafía una primera boleta: se abre, se comprueba y nunca se cuenta.
            desafiada = cifrar_boleta(contexto, estilo.identificador, marcas, credencial)
            if abrir_boleta(contexto, desafiada.boleta, desafiada.apertura()) != marcas:
                raise AssertionError("la apertura de Benaloh no reproduce las marcas")
            if escritor is not None:
                escritor.desafiada(desafiada.boleta, desafiada.apertura())
            desafiadas += 1
        preparada = cifrar_boleta(contexto, estilo.identificador, marcas, credencial)
        verificar_boleta(contexto, preparada.boleta)
        depositadas.append(preparada.boleta)
        if escritor is not None:
            escritor.boleta(preparada.boleta)
        for indice, opciones in marcas.items():
            for o in opciones:
                esperado[indice][o] += 1
    tiempos["votacion"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    avisar("Escrutinio homomórfico")
    escrutinio = acumular(contexto, depositadas)
    tiempos["escrutinio"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    presentes = tuple(sorted(azar_votos.sample(range(1, n + 1), k)))
    avisar(f"Descifrado por los custodios {list(presentes)} (los demás ausentes)")
    completo = descifrar_con_mensajes(contexto, registro, [custodios[i - 1].llave() for i in presentes], escrutinio)
    resultado = completo.resultado
    verificar_resultado(contexto, escrutinio, resultado)
    if escritor is not None:
        escritor.descifrado(contexto, escrutinio, completo)
    tiempos["descifrado"] = time.perf_counter() - t0
    return ResumenEjemplo(configuracion, len(depositadas), desafiadas, resultado, esperado, tiempos)
