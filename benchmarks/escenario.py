"""Escenarios compartidos por ``python -m benchmarks`` y por las pruebas de pytest-benchmark.

Una elección de referencia sale de una ceremonia real de 5 custodios con cuórum 3; las
tablas de base fija de g y de K se construyen aquí, antes de medir nada.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from vmre_crypto import (
    BoletaCifrada,
    ConfiguracionEleccion,
    ContextoEleccion,
    Contienda,
    CoordinadorCeremonia,
    Custodio,
    EscritorRegistro,
    EstiloBoleta,
    Manifiesto,
    Opcion,
    ParCredencial,
    RegistroLlaves,
    acumular,
    ceremonia_en_proceso,
    cifrar_boleta,
    descifrar_con_mensajes,
    generar_credencial,
    reloj_fijo,
    verificar_resultado,
)
from vmre_crypto.ejemplo import manifiesto_gubernatura
from vmre_crypto.primitivas.shamir import pesos_lagrange

T = TypeVar("T")

__all__ = [
    "CUORUM",
    "CUSTODIOS",
    "PRESENTES",
    "PRESENTES_REGISTRO",
    "Eleccion",
    "boletas_distintas",
    "comprobar_ceremonia",
    "configuracion",
    "conteos_esperados",
    "escribir_registro",
    "manifiesto_gubernatura",
    "manifiesto_presidencia_2024",
    "preparar_eleccion",
    "replicar",
]

CUSTODIOS = 5
CUORUM = 3
#: Los custodios que descifran (exactamente un cuórum; los otros dos están ausentes).
PRESENTES = (1, 3, 5)
#: Los custodios que descifran en los registros publicados que se miden (``escribir_registro``).
PRESENTES_REGISTRO = (1, 2, 3)
ESTILO = "unico"


def manifiesto_presidencia_2024() -> Manifiesto:
    """Boleta «presidencia-2024»: una contienda con las 17 opciones de la boleta federal de 2024.

    7 partidos, 8 combinaciones de coalición, candidatura no registrada y voto nulo; se vota 1.
    """
    etiquetas = [
        "PAN", "PRI", "PRD", "PVEM", "PT", "MC", "MORENA",
        "PAN-PRI-PRD", "PAN-PRI", "PAN-PRD", "PRI-PRD",
        "PVEM-PT-MORENA", "PVEM-PT", "PVEM-MORENA", "PT-MORENA",
        "Candidatura no registrada", "Voto nulo",
    ]  # fmt: skip
    opciones = tuple(Opcion(i, e) for i, e in enumerate(etiquetas, start=1))
    contienda = Contienda(1, "Presidencia de la República", 1, opciones)
    return Manifiesto("Presidencia 2024 (boleta de referencia)", (contienda,), (EstiloBoleta(ESTILO, (1,)),))


def configuracion(manifiesto: Manifiesto, custodios: int = CUSTODIOS, cuorum: int = CUORUM) -> ConfiguracionEleccion:
    return ConfiguracionEleccion(custodios, cuorum, "2027-06-06", "Medición de rendimiento vmre", manifiesto)


@dataclass
class Eleccion:
    """Todo lo que una medición necesita de una elección ya instalada."""

    configuracion: ConfiguracionEleccion
    custodios: list[Custodio]
    registro: RegistroLlaves
    contexto: ContextoEleccion
    credencial: ParCredencial

    @property
    def opciones(self) -> int:
        return len(self.contexto.manifiesto.contiendas[0].opciones)

    def marcas(self, i: int) -> dict[int, tuple[int, ...]]:
        """Marcas de la boleta número ``i``: la opción (i mod opciones) + 1 de la contienda 1."""
        return {1: (i % self.opciones + 1,)}

    def cifrar(self, i: int) -> BoletaCifrada:
        return cifrar_boleta(self.contexto, ESTILO, self.marcas(i), self.credencial).boleta


def preparar_eleccion(manifiesto: Manifiesto) -> Eleccion:
    """Ceremonia real (5 custodios, cuórum 3) y tablas de base fija de g y de K ya construidas."""
    config = configuracion(manifiesto)
    grupo = config.grupo()
    grupo.tabla(grupo.g)
    custodios, registro, contexto = ceremonia_en_proceso(config)
    grupo.tabla(contexto.llave.valor)
    return Eleccion(config, custodios, registro, contexto, generar_credencial(grupo))


def boletas_distintas(eleccion: Eleccion, cuantas: int = 20) -> list[BoletaCifrada]:
    """``cuantas`` boletas cifradas y firmadas; la boleta i marca la opción (i mod opciones) + 1."""
    return [eleccion.cifrar(i) for i in range(cuantas)]


def replicar(boletas: Sequence[BoletaCifrada], total: int = 1000) -> list[BoletaCifrada]:
    """Lista de ``total`` boletas reutilizando ``boletas`` en ciclo (la agregación cuesta lo mismo)."""
    return [boletas[i % len(boletas)] for i in range(total)]


def conteos_esperados(eleccion: Eleccion, distintas: int, total: int) -> dict[int, dict[int, int]]:
    """Conteos de ``replicar(boletas_distintas(eleccion, distintas), total)``."""
    conteos = {o: 0 for o in range(1, eleccion.opciones + 1)}
    for i in range(total):
        conteos[(i % distintas) % eleccion.opciones + 1] += 1
    return {1: conteos}


def comprobar_ceremonia(custodios: Sequence[Custodio], contexto: ContextoEleccion) -> None:
    """Las comparticiones del cuórum ``PRESENTES`` reconstruyen la llave conjunta: g^(Σ w_i·P(i)) = K."""
    grupo = contexto.grupo
    pesos = pesos_lagrange(grupo, PRESENTES)
    secreto = grupo.q_elemento(0)
    for i in PRESENTES:
        secreto = secreto + pesos[i] * custodios[i - 1].llave().comparticion
    if grupo.g_a_la(secreto) != contexto.llave:
        raise AssertionError("las comparticiones de la ceremonia no reconstruyen K")


def ceremonia_por_parte(configuracion: ConfiguracionEleccion) -> dict[str, float]:
    """Corre la ceremonia con los mismos pasos que ``ceremonia_en_proceso`` y cronometra a cada parte.

    Devuelve segundos por parte: ``"custodio_i"`` para cada custodio (su propio trabajo: polinomio,
    compromisos y pruebas, verificar a los demás, cifrar y descifrar comparticiones, Feldman,
    recalcular el registro) y ``"coordinador"`` (verificar compromisos, retransmitir, registro).
    En una ceremonia real cada parte corre en su propia máquina, así que la latencia por parte es
    la que ve cada custodio.
    """
    reloj = time.perf_counter
    tiempos: dict[str, float] = {}

    def cronometrar(parte: str, funcion: Callable[[], T]) -> T:
        inicio = reloj()
        resultado = funcion()
        tiempos[parte] = tiempos.get(parte, 0.0) + reloj() - inicio
        return resultado

    n = configuracion.custodios
    custodios = [
        cronometrar(f"custodio_{i}", lambda i=i: Custodio.nuevo(configuracion, i, f"Custodio {i}"))
        for i in range(1, n + 1)
    ]
    coordinador = cronometrar("coordinador", lambda: CoordinadorCeremonia(configuracion))
    for c in custodios:
        mensaje = cronometrar(f"custodio_{c.indice}", c.publicar_compromisos)
        cronometrar("coordinador", lambda m=mensaje: coordinador.recibir_compromisos(m))
    publicados = cronometrar("coordinador", coordinador.compromisos)
    for c in custodios:
        if cronometrar(f"custodio_{c.indice}", lambda c=c: c.recibir_compromisos(publicados)):
            raise AssertionError("queja inesperada en la ceremonia medida")
    for c in custodios:
        for mensaje in cronometrar(f"custodio_{c.indice}", c.comparticiones):
            cronometrar("coordinador", lambda m=mensaje: coordinador.recibir_comparticion(m))
    for c in custodios:
        recibidas = cronometrar("coordinador", lambda c=c: coordinador.comparticiones_para(c.indice))
        resultado = cronometrar(f"custodio_{c.indice}", lambda c=c, r=recibidas: c.recibir_comparticiones(r))
        cronometrar("coordinador", lambda r=resultado: coordinador.recibir_resultado_comparticiones(r))
    registro = cronometrar("coordinador", coordinador.registro)
    for c in custodios:
        confirmacion = cronometrar(f"custodio_{c.indice}", lambda c=c: c.confirmar_registro(registro))
        cronometrar("coordinador", lambda m=confirmacion: coordinador.recibir_confirmacion_registro(m))
    cronometrar("coordinador", coordinador.finalizar)
    return tiempos


def escribir_registro(
    eleccion: Eleccion, directorio: Path, boletas: int, presentes: Sequence[int] = PRESENTES_REGISTRO
) -> dict[int, dict[int, int]]:
    """Escribe en ``directorio`` el registro publicado completo de una elección gubernatura-10.

    Con ``EscritorRegistro`` y en el orden de §14.3: configuración, la ceremonia real de
    ``eleccion`` (compromisos y registro de llaves), la lista de ``boletas`` credenciales, el acta
    de inicio, ``boletas`` boletas depositadas (todas distintas, cada una firmada con su propia
    credencial; la boleta i marca la opción (i mod opciones) + 1), el escrutinio, el descifrado
    por los custodios ``presentes`` con ``descifrar_con_mensajes`` (descifrados parciales, retos,
    respuestas, resultado) y el acta de cómputo.  Devuelve los conteos descifrados, ya comprobados contra las marcas.
    """
    if boletas < 1:
        raise ValueError("el registro necesita al menos una boleta")
    contexto, registro = eleccion.contexto, eleccion.registro
    grupo = contexto.grupo
    credenciales = [generar_credencial(grupo) for _ in range(boletas)]
    cifradas = [
        cifrar_boleta(contexto, ESTILO, eleccion.marcas(i), credencial).boleta
        for i, credencial in enumerate(credenciales)
    ]
    escrutinio = acumular(contexto, cifradas)
    presentes = tuple(sorted(presentes))
    completo = descifrar_con_mensajes(
        contexto, registro, [eleccion.custodios[i - 1].llave() for i in presentes], escrutinio
    )
    resultado = completo.resultado
    verificar_resultado(contexto, escrutinio, resultado)
    esperado = conteos_esperados(eleccion, boletas, boletas)
    if resultado.conteos() != esperado:
        raise AssertionError("los conteos descifrados del registro no coinciden con las boletas")

    with EscritorRegistro(directorio, eleccion.configuracion, reloj_fijo()) as escritor:
        escritor.ceremonia(registro)
        h_c = escritor.credenciales(c.publica for c in credenciales)
        escritor.acta_inicio(contexto, registro, h_c)
        for boleta in cifradas:
            escritor.boleta(boleta)
        escritor.descifrado(contexto, escrutinio, completo)
    return esperado
