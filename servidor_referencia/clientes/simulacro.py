"""``vmre simulacro`` (§22): el flujo completo contra un servidor real en localhost.

Fases (22.4)–(22.16): personal, inscripción, dictámenes, corte de la LNERE, cuentas,
activación, credenciales, proceso y ceremonia, apertura, votación, cierre, descifrado por el
cuórum, resultados, exportación del registro y verificación.  Cada fase mide su tiempo; la
votación mide además boletas aceptadas por segundo.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from tqdm import tqdm

from .autoridad import ClienteAPI, CorreoAutoridad, generar_y_entregar
from .simulacro_datos import (
    Participante,
    elegir_votantes,
    generar_participantes,
    seleccion_de,
)
from .simulacro_infra import (
    Api,
    ErrorAPI,
    ErrorSimulacro,
    ServidorProceso,
    SmtpLocal,
    Totp,
    entrar_personal,
    orden_vmre,
    puerto_libre,
    texto_de,
)
from .simulacro_manual import boleta_manual, elegir_manual, esperar_persona
from .simulacro_navegador import comprobar_navegador, votar_en_navegador
from .votante import ClienteVotante, codigo_de, leer_credencial

T = TypeVar("T")

ASUNTO_ACTIVACION = "Active su cuenta para votar por internet"
ASUNTO_CREDENCIAL = "Su credencial de votación"

#: Salidas de la orden (22.17).
SALIDA_ACEPTADO = 0
SALIDA_FALLA = 1
SALIDA_SIN_COMPUTO = 3


@dataclass(frozen=True, slots=True)
class Opciones:
    participantes: int = 1009
    votos: int = 683
    custodios: int = 5
    umbral: int = 3
    desafios: int = 5
    semilla: int | None = None
    salida: Path | None = None
    db: str | None = None
    puerto: int | None = None
    trabajadores: int = 4
    hilos_servidor: int = 8
    ventana_minutos: int = 60
    cuorum_azar: bool = False
    pausa: bool = False
    navegador: int = 0


@dataclass(slots=True)
class Personal:
    usuario: str
    rol: str
    contrasena: str = field(repr=False)
    totp: Totp = field(repr=False)


@dataclass(slots=True)
class Informe:
    """Lo que el resumen final muestra (22.17)."""

    fases: list[tuple[str, float]] = field(default_factory=list)
    aceptadas: int = 0
    segundos_votacion: float = 0.0
    memoria_kib: int | None = None
    memoria_verificacion_kib: list[int] = field(default_factory=list)
    total: float = 0.0
    resultados: dict[str, Any] | None = None
    esperados: dict[int, Counter[int]] = field(default_factory=dict)
    votos_por_entidad: Counter[str] = field(default_factory=Counter)
    electores_por_entidad: Counter[str] = field(default_factory=Counter)
    desafiadas: int = 0
    veredicto: str = ""
    verificador_acepta: bool = False
    detenido: str = ""
    salida: Path | None = None
    boletas_pausa: int = 0
    votos_navegador: int = 0
    desafios_navegador: int = 0
    entidad_pausa: str = ""


def _en_paralelo(trabajadores: int, tarea: Callable[[T], Any], elementos: Iterable[T], barra: tqdm[Any]) -> list[Any]:
    """Corre ``tarea`` sobre cada elemento con ``trabajadores`` hilos; la primera falla detiene todo."""
    resultados: list[Any] = []
    with ThreadPoolExecutor(max_workers=trabajadores) as grupo:
        for r in grupo.map(tarea, elementos):
            resultados.append(r)
            barra.update(1)
    return resultados


class Simulacro:
    def __init__(self, opciones: Opciones, avisar: Callable[[str], None]) -> None:
        self.o = opciones
        self.avisar = avisar
        self.semilla = opciones.semilla if opciones.semilla is not None else secrets.randbits(32)
        self.informe = Informe()
        self.smtp: SmtpLocal | None = None
        self.servidor: ServidorProceso | None = None
        self.personal: dict[str, Personal] = {}
        self.sesiones: dict[str, Api] = {}
        self.participantes: list[Participante] = []
        self.corte = 0
        self.proceso = 0
        self.quorum: list[int] = []

    # ------------------------------------------------------------ utilidades

    @contextmanager
    def fase(self, nombre: str) -> Iterator[None]:
        inicio = time.monotonic()
        self.avisar(f"▶ {nombre}")
        yield
        self.informe.fases.append((nombre, time.monotonic() - inicio))

    def barra(self, total: int, nombre: str) -> tqdm[Any]:
        return tqdm(total=total, desc=nombre, unit="", file=sys.stderr, leave=False, dynamic_ncols=True)

    def api(self, usuario: str) -> Api:
        """Una sola sesión por cuenta del personal (dura 30 min): cada inicio de sesión gasta un
        intervalo TOTP, y el siguiente tendría que esperar al intervalo nuevo."""
        assert self.servidor is not None
        if usuario not in self.sesiones:
            p = self.personal[usuario]
            self.sesiones[usuario] = entrar_personal(self.servidor.url, p.usuario, p.contrasena, p.totp)
        return self.sesiones[usuario]

    # ------------------------------------------------------------ fases

    def correr(self) -> Informe:
        carpeta = self.o.salida or Path(tempfile.mkdtemp(prefix="vmre-simulacro-"))
        carpeta.mkdir(parents=True, exist_ok=True)
        self.carpeta = carpeta.resolve()
        self.informe.salida = self.carpeta
        self.avisar(f"Simulacro en {self.carpeta} (semilla {self.semilla})")
        inicio = time.monotonic()
        if self.o.navegador:
            comprobar_navegador()
        try:
            self._preparar()
            self._inscribir()
            self._lista_y_cuentas()
            # (22.6)–(22.8) La activación está limitada por argon2id en el servidor; la autoridad de
            # credenciales y los custodios trabajan mientras tanto, como lo harían en la realidad.
            with ThreadPoolExecutor(max_workers=2) as paralelo:
                credenciales = paralelo.submit(self._credenciales)
                ceremonia = paralelo.submit(self._ceremonia)
                self._activacion()
                credenciales.result()
                ceremonia.result()
            self._apertura()
            self._votacion()
            if self.o.pausa:
                self._pausa()
            if self._cierre_y_computo():
                self._exportar_y_verificar()
        finally:
            if self.servidor is not None:
                self.informe.memoria_kib = self.servidor.memoria_pico_kib()
                self.informe.memoria_verificacion_kib = self.servidor.memoria_hijos_kib()
                self.servidor.detener()
            if self.smtp is not None:
                self.smtp.detener()
            self.informe.total = time.monotonic() - inicio
        return self.informe

    def _preparar(self) -> None:
        """(22.4) SMTP local, cuentas del personal y el servidor como proceso."""
        with self.fase("Preparación: SMTP local, personal y servidor"):
            self.smtp = SmtpLocal().iniciar()
            url_bd = self.o.db or f"sqlite:///{self.carpeta / 'simulacro.sqlite3'}"
            self.servidor = ServidorProceso(
                self.carpeta, url_bd, self.o.puerto or puerto_libre(), self.smtp.puerto, self.o.hilos_servidor
            )
            cuentas = [
                ("administracion", "administrador", "Administración del Simulacro"),
                ("operacion", "operador", "Operación Dictaminadora"),
                ("autoridad", "autoridad_credenciales", "Autoridad de Credenciales"),
            ] + [(f"custodio{i}", "custodio", f"Custodia {i} de la Llave") for i in range(1, self.o.custodios + 1)]
            barra = self.barra(len(cuentas), "personal")
            for usuario, rol, nombre in cuentas:
                contrasena = "simulacro-" + secrets.token_urlsafe(18)
                secreto = "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(32))
                self.servidor.crear_usuario(usuario, nombre, rol, contrasena, secreto)
                # La activación por consola usó el código del intervalo anterior.
                self.personal[usuario] = Personal(usuario, rol, contrasena, Totp(secreto, int(time.time() // 30)))
                barra.update(1)
            barra.close()
            self.servidor.iniciar()
            self.avisar(
                f"Servidor en {self.servidor.url} (PID {self.servidor.proc.pid if self.servidor.proc else '?'})"
            )

    def _inscribir(self) -> None:
        """(22.5) Solicitudes por la API pública del SRVE y dictamen procedente de cada una."""
        assert self.servidor is not None
        url = self.servidor.url
        with self.fase("Inscripción: solicitudes por la API del SRVE"):
            self.participantes = generar_participantes(self.o.participantes, self.semilla, date.today())

            def solicitar(p: Participante) -> None:
                r = Api(url).pedir("POST", "/srve/solicitudes", p.solicitud)
                p.folio = str(r["folio"])

            barra = self.barra(len(self.participantes), "solicitudes")
            _en_paralelo(self.o.trabajadores, solicitar, self.participantes, barra)
            barra.close()
        with self.fase("Dictámenes: procedente (operación)"):
            operacion = self.api("operacion")

            def dictaminar(p: Participante) -> None:
                operacion.pedir("POST", f"/srve/solicitudes/{p.folio}/dictamen", {"resultado": "procedente"})

            barra = self.barra(len(self.participantes), "dictámenes")
            _en_paralelo(self.o.trabajadores, dictaminar, self.participantes, barra)
            barra.close()

    def _lista_y_cuentas(self) -> None:
        """(22.6) Corte electrónico de la LNERE, cuentas y el enlace de activación de cada una."""
        assert self.servidor is not None and self.smtp is not None
        with self.fase("LNERE: corte electrónico y cuentas"):
            admin = self.api("administracion")
            corte = admin.pedir("POST", "/lnere/cortes", {"modalidad": "electronica"})
            self.corte = int(corte["id"])
            if int(corte["num_registros"]) != len(self.participantes):
                raise ErrorSimulacro(
                    f"El corte tiene {corte['num_registros']} registros, no {len(self.participantes)}."
                )
            admin.pedir("POST", "/elector/cuentas", {"corte": self.corte})
            por_correo = {p.correo: p for p in self.participantes}
            barra = self.barra(len(self.participantes), "correos de activación")
            mensajes = self.smtp.buzon.esperar(ASUNTO_ACTIVACION, len(self.participantes), 600, barra.update)
            barra.close()
            for m in mensajes:
                enlace = re.search(r"/elector/activar/([A-Za-z0-9_-]+)", texto_de(m))
                destinatario = str(m["To"]).strip().lower()
                if enlace and destinatario in por_correo:
                    por_correo[destinatario].testigo_activacion = enlace.group(1)
            faltan = [p.correo for p in self.participantes if not p.testigo_activacion]
            if faltan:
                raise ErrorSimulacro(f"{len(faltan)} participantes no recibieron su enlace de activación.")

    def _activacion(self) -> None:
        """(22.6) Cada participante activa su cuenta con su enlace, sus 4 dígitos y su TOTP."""
        assert self.servidor is not None
        url = self.servidor.url
        with self.fase("Activación de cuentas (contraseña + TOTP)"):

            def activar(p: Participante) -> None:
                totp = Totp(p.totp_secreto)
                codigo = totp.codigo()
                Api(url).pedir(
                    "POST",
                    "/elector/activar",
                    {
                        "testigo": p.testigo_activacion,
                        "ultimos_digitos_telefono": p.ultimos_digitos,
                        "contrasena": p.contrasena,
                        "codigo": codigo,
                        "totp_secreto": p.totp_secreto,
                    },
                )
                p.paso_totp = totp.ultimo

            barra = self.barra(len(self.participantes), "activaciones")
            _en_paralelo(self.o.trabajadores, activar, self.participantes, barra)
            barra.close()

    def _credenciales(self) -> None:
        """(22.7) La autoridad de credenciales (``clientes/autoridad.py``): genera, envía por su
        SMTP y carga la lista pública; cada participante lee la suya de su correo."""
        assert self.servidor is not None and self.smtp is not None
        with self.fase("Credenciales de votación (autoridad; en paralelo con la activación)"):
            autoridad = self.personal["autoridad"]
            api = ClienteAPI(self.servidor.url)
            api.iniciar_sesion(autoridad.usuario, autoridad.contrasena, lambda _d: autoridad.totp.codigo(), False)
            correo = CorreoAutoridad(anfitrion="127.0.0.1", puerto=self.smtp.puerto)
            resultado = generar_y_entregar(api, self.corte, correo, proceso="Simulacro VMRE")
            if not resultado.coincide:
                raise ErrorSimulacro("El H_C publicado por el servidor no es el que calculó la autoridad.")
            self.h_c = resultado.hash_lista
            por_correo = {p.correo: p for p in self.participantes}
            for m in self.smtp.buzon.esperar(ASUNTO_CREDENCIAL, len(self.participantes), 120):
                credencial = re.search(r"^ {4}(\S+)\s*$", texto_de(m), re.MULTILINE)
                destinatario = str(m["To"]).strip().lower()
                if credencial and destinatario in por_correo:
                    por_correo[destinatario].credencial = credencial.group(1)
            if any(not p.credencial for p in self.participantes):
                raise ErrorSimulacro("Algún participante no recibió su credencial de votación.")

    def _ceremonia(self) -> None:
        """(22.8) Proceso con el preset del simulacro y la ceremonia: un proceso
        ``vmre custodio ceremonia`` por custodio, cada uno con su archivo de estado y su frase."""
        assert self.servidor is not None
        with self.fase(f"Ceremonia de llaves ({self.o.custodios} custodios, umbral {self.o.umbral}; en paralelo)"):
            admin = self.api("administracion")
            r = admin.pedir(
                "POST",
                "/sivei/procesos",
                {
                    "nombre": "Simulacro VMRE",
                    "custodios": self.o.custodios,
                    "cuorum": self.o.umbral,
                    "fecha": date.today().isoformat(),
                    "info": f"Simulacro de votación por internet (semilla {self.semilla})",
                    "preset": "simulacro",
                },
            )
            self.proceso = int(r["id"])
            for i in range(1, self.o.custodios + 1):
                admin.pedir(
                    "POST", f"/sivei/procesos/{self.proceso}/custodios", {"indice": i, "usuario": f"custodio{i}"}
                )
            self.frases = {i: secrets.token_urlsafe(24) for i in range(1, self.o.custodios + 1)}
            resultados = self._custodios("ceremonia", list(range(1, self.o.custodios + 1)), "600")
            self.fin_ceremonia = time.time()
            for i, (codigo, _salida, errores) in resultados.items():
                if codigo != 0:
                    raise ErrorSimulacro(
                        f"vmre custodio ceremonia (custodio {i}) salió con {codigo}: {errores.strip()}"
                    )
            h_e = {salida.strip().splitlines()[-1] for _c, salida, _e in resultados.values()}
            publico = Api(self.servidor.url).pedir("GET", f"/sivei/procesos/{self.proceso}")
            if publico["estado"] != "llave_publicada" or h_e != {f"H_E = {publico['h_e']}"}:
                raise ErrorSimulacro("La ceremonia terminó sin que todos los custodios vieran el mismo H_E publicado.")
            self.h_e = str(publico["h_e"])

    def _custodios(self, paso: str, indices: list[int], espera: str) -> dict[int, tuple[int, str, str]]:
        assert self.servidor is not None
        procesos = {}
        for i in indices:
            p = self.personal[f"custodio{i}"]
            entorno = {
                **os.environ,
                "VMRE_CONTRASENA": p.contrasena,
                "VMRE_TOTP_SECRETO": p.totp.secreto,
                "VMRE_FRASE_CUSTODIO": self.frases[i],
            }
            procesos[i] = subprocess.Popen(
                [*orden_vmre(), "custodio", paso, "--servidor", self.servidor.url, "--usuario", p.usuario,
                 "--proceso", str(self.proceso), "--estado", str(self.carpeta / f"custodio-{i}.estado"),
                 "--espera", espera],
                env=entorno, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
            )  # fmt: skip
        salidas = {i: pr.communicate(timeout=float(espera) + 300) for i, pr in procesos.items()}
        return {i: (procesos[i].returncode, s, e) for i, (s, e) in salidas.items()}

    def _apertura(self) -> None:
        """(22.9) Apertura con la ventana comprimida a ``ventana_minutos``."""
        with self.fase("Apertura (acta de inicio)"):
            admin = self.api("administracion")
            fin = datetime.now(UTC) + timedelta(minutes=self.o.ventana_minutos)
            r = admin.pedir(
                "POST",
                f"/sivei/apertura/{self.proceso}",
                {"corte": self.corte, "fin": fin.isoformat(timespec="seconds")},
            )
            if r.get("boletas_en_urna") != 0:
                raise ErrorSimulacro("El acta de inicio no muestra la urna vacía.")

    def _votacion(self) -> None:
        """(22.10) Votación con la participación pedida; algunos desafían (Benaloh) antes de votar."""
        assert self.servidor is not None
        url = self.servidor.url
        votantes, desafiantes = elegir_votantes(self.participantes, self.o.votos, self.o.desafios, self.semilla)
        for p in self.participantes:
            self.informe.electores_por_entidad[p.entidad] += 1

        def votar(p: Participante) -> tuple[str, dict[int, tuple[int, ...]], bool]:
            cliente = ClienteVotante(url)
            cliente.iniciar_sesion(p.correo, p.contrasena, Totp(p.totp_secreto, p.paso_totp).codigo())
            datos, contexto = cliente.boleta(self.proceso)
            marcas = seleccion_de(p, datos["contiendas"])
            par = leer_credencial(p.credencial)
            desafio = p.numero in desafiantes
            if desafio:
                preparada = cliente.preparar(contexto, datos["estilo"], marcas, par)
                abierta = cliente.desafiar(self.proceso, preparada)
                if {int(k): tuple(v) for k, v in abierta["selecciones"].items()} != marcas:
                    raise ErrorSimulacro(f"La apertura del desafío del participante {p.numero} no coincide.")
            preparada = cliente.preparar(contexto, datos["estilo"], marcas, par)
            recibo = cliente.depositar(self.proceso, preparada)
            if recibo["codigo_confirmacion"] != codigo_de(preparada):
                raise ErrorSimulacro(f"El recibo del participante {p.numero} no trae su código de confirmación.")
            return p.entidad, marcas, desafio

        # (22.20) Los votantes del navegador: primero quienes desafían, para que haya desafíos en la cabina.
        en_navegador = sorted(votantes, key=lambda p: (p.numero not in desafiantes, p.numero))[: self.o.navegador]
        numeros_navegador = {p.numero for p in en_navegador}
        resto = [p for p in votantes if p.numero not in numeros_navegador]
        titulo = f"Votación ({len(votantes)} votos, {len(desafiantes)} desafíos"
        titulo += f"; {len(en_navegador)} en la cabina web)" if en_navegador else ")"
        with self.fase(titulo):
            inicio = time.monotonic()
            barra = self.barra(len(votantes), "boletas")
            with ThreadPoolExecutor(max_workers=1) as hilo_navegador:
                navegador = hilo_navegador.submit(self._votar_en_navegador, en_navegador, desafiantes, barra)
                resultados = _en_paralelo(self.o.trabajadores, votar, resto, barra)
                resultados += navegador.result()
            barra.close()
            self.informe.segundos_votacion = time.monotonic() - inicio
        self.informe.aceptadas = len(resultados)
        for entidad, marcas, desafio in resultados:
            self.informe.votos_por_entidad[entidad] += 1
            self.informe.desafiadas += int(desafio)
            for contienda, opciones in marcas.items():
                for o in opciones:
                    self.informe.esperados.setdefault(contienda, Counter())[o] += 1

    def _votar_en_navegador(
        self, votantes: list[Participante], desafiantes: set[int], barra: tqdm[Any]
    ) -> list[tuple[str, dict[int, tuple[int, ...]], bool]]:
        """(22.20) Votantes que usan la cabina web en Chromium (en su propio hilo, uno tras otro)."""
        if not votantes:
            return []
        assert self.servidor is not None
        contexto = Api(self.servidor.url).pedir("GET", f"/sivei/procesos/{self.proceso}")["contexto"]
        manifiesto = json.loads(contexto)["configuracion"]["manifiesto"]  # público (19.16)
        contiendas = {c["indice"]: c for c in manifiesto["contiendas"]}
        estilos = {e["identificador"]: e["contiendas"] for e in manifiesto["estilos"]}
        lista = []
        for p in votantes:
            marcas = seleccion_de(p, [contiendas[i] for i in estilos[p.entidad]])  # estilo = entidad (20.16)
            lista.append((p, marcas, p.numero in desafiantes))
        votar_en_navegador(
            self.servidor.url,
            self.proceso,
            lista,
            codigo_de=lambda p: Totp(p.totp_secreto, p.paso_totp).codigo(),
            al_votar=lambda: barra.update(1),
        )
        self.informe.votos_navegador = len(lista)
        self.informe.desafios_navegador = sum(1 for _, _, d in lista if d)
        return [(p.entidad, marcas, desafio) for p, marcas, desafio in lista]

    def _cierre_y_computo(self) -> bool:
        """(22.11)–(22.13) Cierre, descifrado por exactamente el cuórum y resultados.  Devuelve
        False (con el motivo en el informe) si el servidor aún no tiene el cierre o el cómputo."""
        assert self.servidor is not None
        with self.fase("Cierre de la votación"):
            admin = self.api("administracion")
            try:
                r = admin.pedir("POST", f"/sivei/cierre/{self.proceso}", {})
            except ErrorAPI as e:
                if e.estado in (404, 405) and e.codigo in ("no_encontrado", "http", "metodo_no_permitido"):
                    self.informe.detenido = (
                        "El servidor aún no ofrece el cierre (POST /api/v1/sivei/cierre/{p}); el simulacro se "
                        "detiene después de la votación, sin cómputo ni verificación del registro."
                    )
                    return False
                raise
            # (22.19) Con --pausa, la persona pudo depositar una boleta más (o ninguna).
            self.informe.boletas_pausa = int(r["boletas"]) - self.informe.aceptadas
            if self.informe.boletas_pausa not in ((0, 1) if self.o.pausa else (0,)):
                raise ErrorSimulacro(f"El cierre contó {r['boletas']} boletas; se aceptaron {self.informe.aceptadas}.")
        ayuda = subprocess.run([*orden_vmre(), "custodio", "--help"], capture_output=True, text=True, timeout=120)
        if "descifrar" not in ayuda.stdout:
            self.informe.detenido = (
                "La votación quedó cerrada, pero aún no existe la orden «vmre custodio descifrar»; el simulacro "
                "se detiene sin cómputo ni verificación del registro."
            )
            return False
        indices = list(range(1, self.o.custodios + 1))
        if self.o.cuorum_azar:
            self.quorum = sorted(random.Random(f"vmre-simulacro-cuorum:{self.semilla}").sample(indices, self.o.umbral))
        else:
            self.quorum = indices[: self.o.umbral]
        with self.fase(f"Descifrado por el cuórum {self.quorum} (los demás ausentes)"):
            # Cada custodio ya entró una vez en la ceremonia: su código TOTP debe ser de un intervalo nuevo.
            while int(time.time() // 30) <= int(self.fin_ceremonia // 30):
                time.sleep(0.5)
            resultados = self._custodios("descifrar", self.quorum, "300")
            for i, (codigo, _s, errores) in resultados.items():
                if codigo != 0:
                    raise ErrorSimulacro(
                        f"vmre custodio descifrar (custodio {i}) salió con {codigo}: {errores.strip()}"
                    )
        with self.fase("Resultados"):
            publico = Api(self.servidor.url)
            limite = time.monotonic() + 120
            while True:
                try:
                    self.informe.resultados = publico.pedir("GET", f"/sivei/resultados/{self.proceso}")
                    if self.informe.resultados.get("estado") == "computada":
                        break
                except ErrorAPI as e:
                    if e.estado != 409 or time.monotonic() > limite:
                        raise
                time.sleep(0.5)
            self._comparar_resultados()
        return True

    def _pausa(self) -> None:
        """(22.18) Una persona vota a mano en su navegador mientras el servidor espera."""
        assert self.servidor is not None
        votantes, _ = elegir_votantes(self.participantes, self.o.votos, self.o.desafios, self.semilla)
        persona = elegir_manual(self.participantes, votantes)
        self.informe.entidad_pausa = persona.entidad
        with self.fase("Pausa: voto a mano en el navegador"):
            esperar_persona(self.servidor.url, self.proceso, persona, self.avisar, sys.stdin)

    def _comparar_resultados(self) -> None:
        """(22.13) Cada voto esperado (lo que marcó cada participante) debe estar en el cómputo."""
        assert self.informe.resultados is not None
        if self.informe.boletas_pausa:
            # (22.19) La boleta de la persona: se suma a lo esperado solo si cabe en una boleta de su entidad.
            extra = boleta_manual(self.informe.resultados, self.informe.esperados, self.informe.entidad_pausa)
            for contienda, opciones in extra.items():
                for o in opciones:
                    self.informe.esperados.setdefault(contienda, Counter())[o] += 1
            self.informe.votos_por_entidad[self.informe.entidad_pausa] += 1
        for c in self.informe.resultados["contiendas"]:
            esperado = self.informe.esperados.get(int(c["indice"]), Counter())
            obtenido = {int(o["indice"]): int(o["votos"]) for o in c["opciones"]}
            for opcion, votos in obtenido.items():
                if votos != esperado.get(opcion, 0):
                    raise ErrorSimulacro(
                        f"Contienda {c['indice']}, opción {opcion}: el cómputo da {votos}, se esperaban "
                        f"{esperado.get(opcion, 0)}."
                    )

    def _exportar_y_verificar(self) -> None:
        """(22.14)–(22.15) ``tablero.jsonl`` en la carpeta de salida y ``vmre verificar`` sobre ella."""
        assert self.servidor is not None
        with self.fase("Exportación del registro (tablero.jsonl)"):
            contenido = Api(self.servidor.url).crudo(f"/api/v1/sivei/tablero/{self.proceso}/tablero.jsonl")
            (self.carpeta / "registro").mkdir(exist_ok=True)
            (self.carpeta / "registro" / "tablero.jsonl").write_bytes(contenido)
            (self.carpeta / "tablero.jsonl").write_bytes(contenido)
        with self.fase("Verificación (vmre verificar)"):
            r = subprocess.run(
                [*orden_vmre(), "verificar", str(self.carpeta / "registro")],
                capture_output=True,
                text=True,
                timeout=1800,
                stdin=subprocess.DEVNULL,
            )
            (self.carpeta / "verificacion.txt").write_text(r.stdout + r.stderr, encoding="utf-8")
            self.informe.verificador_acepta = r.returncode == 0
            ultimas = [linea for linea in r.stdout.strip().splitlines() if linea.strip()]
            self.informe.veredicto = ultimas[-1] if ultimas else f"salida {r.returncode}"


def resumen(informe: Informe, opciones: Opciones) -> str:
    """(22.17) El resumen final, en español."""
    from .simulacro_datos import ENTIDADES_SIMULACRO

    lineas = ["", "═══ Resumen del simulacro ═══", f"Carpeta de salida: {informe.salida}", ""]
    total_electores = sum(informe.electores_por_entidad.values()) or opciones.participantes
    lineas.append("Participación por entidad:")
    for clave, (nombre, _p) in sorted(ENTIDADES_SIMULACRO.items()):
        e = informe.electores_por_entidad.get(clave, 0)
        v = informe.votos_por_entidad.get(clave, 0)
        if e:
            lineas.append(f"  {clave} {nombre:<20} {v:>5} de {e:>5}  ({100 * v / e:5.1f} %)")
    total = sum(informe.votos_por_entidad.values())
    lineas.append(f"  Total: {total} votos de {total_electores} electores ({100 * total / total_electores:.1f} %)")
    lineas.append(f"  Boletas desafiadas (abiertas, no contadas): {informe.desafiadas}")
    if informe.votos_navegador:
        lineas.append(
            f"  En la cabina web (Chromium): {informe.votos_navegador} votos, {informe.desafios_navegador} de ellos "
            "tras desafiar una boleta en el navegador"
        )
    if informe.boletas_pausa:
        lineas.append(f"  Boleta depositada a mano durante la pausa: 1 (entidad {informe.entidad_pausa})")
    if informe.resultados:
        r = informe.resultados
        por_pais = (r.get("participacion") or {}).get("por_pais") or {}
        if por_pais:
            lineas.append("Participación por país:")
            for pais, d in sorted(por_pais.items()):
                lineas.append(f"  {pais}: {d.get('votos')} de {d.get('electores')}")
        lineas.append("")
        lineas.append("Resultados por entidad y contienda:")
        for c in r["contiendas"]:
            entidad = str(c.get("estilo") or c.get("entidad") or "")
            nombre = ENTIDADES_SIMULACRO.get(entidad, ("", 0))[0]
            lineas.append(f"  [{entidad} {nombre}] {c['etiqueta']} — {c.get('total')} votos")
            ordenadas = sorted((o for o in c["opciones"] if int(o["votos"])), key=lambda o: -int(o["votos"]))
            for o in ordenadas[:5]:
                lineas.append(f"      {o['etiqueta']:<32} {o['votos']:>5}")
        lineas.append("  (el cómputo coincide opción por opción con lo que marcó cada participante)")
    lineas.append("")
    lineas.append("Tiempo por fase:")
    for nombre, segundos in informe.fases:
        lineas.append(f"  {nombre:<60} {segundos:8.1f} s")
    lineas.append(f"  {'Total (reloj; algunas fases corren en paralelo)':<60} {informe.total:8.1f} s")
    if informe.segundos_votacion:
        tasa = informe.aceptadas / informe.segundos_votacion
        lineas.append(
            f"Tasa de aceptación: {informe.aceptadas} boletas en {informe.segundos_votacion:.1f} s = {tasa:.1f} boletas/s"
        )
    if informe.memoria_kib is not None:
        lineas.append(f"Memoria máxima del servidor (VmHWM): {informe.memoria_kib / 1024:.1f} MiB")
    if informe.memoria_verificacion_kib:
        hijos = informe.memoria_verificacion_kib
        lineas.append(
            f"  y de sus {len(hijos)} procesos de verificación: hasta {max(hijos) / 1024:.1f} MiB cada uno "
            f"({sum(hijos) / 1024:.1f} MiB en total)"
        )
    lineas.append("")
    if informe.detenido:
        lineas.append(f"Simulacro INCOMPLETO: {informe.detenido}")
    elif informe.verificador_acepta:
        lineas.append(f"Veredicto del verificador: ACEPTADO — {informe.veredicto}")
    else:
        lineas.append(f"Veredicto del verificador: RECHAZADO — {informe.veredicto} (detalle en verificacion.txt)")
    return "\n".join(lineas)


def como_json(informe: Informe) -> str:
    return json.dumps(
        {
            "fases": [{"fase": n, "segundos": round(s, 3)} for n, s in informe.fases],
            "aceptadas": informe.aceptadas,
            "segundos_votacion": round(informe.segundos_votacion, 3),
            "memoria_kib": informe.memoria_kib,
            "memoria_verificacion_kib": informe.memoria_verificacion_kib,
            "total_segundos": round(informe.total, 3),
            "votos_por_entidad": dict(informe.votos_por_entidad),
            "electores_por_entidad": dict(informe.electores_por_entidad),
            "verificador_acepta": informe.verificador_acepta,
            "detenido": informe.detenido,
        },
        ensure_ascii=False,
        indent=2,
    )
