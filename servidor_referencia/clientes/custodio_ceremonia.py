"""Los pasos del custodio contra el servidor (§19.5): registrar, publicar, comparticiones,
verificar y confirmar.

Corre en la máquina del custodio.  Habla con el servidor solo por HTTP (``urllib``); sus
secretos (coeficientes, comparticiones descifradas) nunca salen de este proceso: en disco
viven cifrados con su frase (``custodio_estado``).  Cada paso es idempotente: si el servidor
ya tiene el mensaje de este custodio no se vuelve a enviar, así que una orden interrumpida
se puede repetir.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vmre_crypto import (
    GRUPO_ESTANDAR,
    ComparticionCifrada,
    CompromisosCustodio,
    ConfiguracionEleccion,
    Custodio,
    ErrorVMRE,
    LlaveCustodio,
    Motivo,
    Queja,
    RegistroLlaves,
    deserializar,
    serializar,
)

from .api_json import ClienteJSON
from .custodio_estado import ArchivoCustodio, ErrorCustodio, abrir, guardar

INTERVALO_SONDEO = 0.5


class ClienteCustodio(ClienteJSON):
    """La API del servidor vista por un custodio."""

    Error = ErrorCustodio

    def iniciar_sesion(self, usuario: str, contrasena: str, codigo: Callable[[int], str], reintentar: bool) -> None:
        self.iniciar_sesion_personal(usuario, contrasena, codigo, reintentar, "custodio", "custodio de la llave")


class CeremoniaCustodio:
    """Un custodio en la ceremonia de un proceso; ``espera`` = segundos a esperar a los demás."""

    def __init__(
        self,
        api: ClienteCustodio,
        proceso: int,
        ruta: Path,
        frase: str,
        espera: float = 0.0,
        avisar: Callable[[str], None] | None = None,
    ) -> None:
        self.api = api
        self.proceso = proceso
        self.ruta = ruta
        self.frase = frase
        self.espera = espera
        self.avisar = avisar or (lambda _t: None)
        self.raiz = f"/sivei/procesos/{proceso}"
        self._cfg: ConfiguracionEleccion | None = None
        self._custodio: Custodio | None = None
        self._compromisos_verificados = False
        self._comparticiones_verificadas = False

    # -- configuración y estado local
    def configuracion(self) -> ConfiguracionEleccion:
        """La configuración publicada; su H_B se recalcula aquí y debe coincidir con el publicado."""
        if self._cfg is None:
            publico = self.api.pedir("GET", self.raiz)
            cfg = deserializar(publico["configuracion"], ConfiguracionEleccion, None)
            if cfg.h_b.hex().upper() != publico["h_b"]:
                raise ErrorCustodio("h_b_discrepante", "El H_B publicado no corresponde a la configuración publicada.")
            self._cfg = cfg
        return self._cfg

    def registrar(self) -> int:
        """Crea el polinomio secreto del custodio y lo guarda cifrado (19.17).  Devuelve el índice."""
        cfg = self.configuracion()
        yo = self.api.pedir("GET", f"{self.raiz}/ceremonia/yo")
        custodio = Custodio.nuevo(cfg, int(yo["indice"]), str(yo["nombre"]))
        guardar(
            self.ruta,
            self.frase,
            ArchivoCustodio(self.api.servidor, self.proceso, custodio.indice, cfg.h_b.hex().upper(), custodio.estado),
        )
        self._custodio = custodio
        self.avisar(f"Custodio {custodio.indice}: estado guardado cifrado en {self.ruta}.")
        return custodio.indice

    def custodio(self) -> Custodio:
        if self._custodio is None:
            archivo = abrir(self.ruta, self.frase)
            cfg = self.configuracion()
            if archivo.proceso != self.proceso or archivo.h_b != cfg.h_b.hex().upper():
                raise ErrorCustodio(
                    "estado_de_otro_proceso", "El archivo de estado pertenece a otro proceso o a otra configuración."
                )
            try:
                self._custodio = Custodio(cfg, archivo.estado)
            except ErrorVMRE as e:
                raise ErrorCustodio("estado_invalido", f"El estado no corresponde a la configuración: {e}") from None
        return self._custodio

    # -- avance en el servidor
    def avance(self) -> dict[str, Any]:
        progreso = self.api.pedir("GET", f"{self.raiz}/ceremonia")
        if progreso["detenida"]:
            q = progreso["quejas"][0]
            raise ErrorCustodio(
                "ceremonia_detenida",
                f"La ceremonia está detenida: el custodio {q['acusador']} acusó a {q['acusado']} ({q['motivo']}).",
                {"quejas": progreso["quejas"]},
            )
        return progreso

    def _mio(self, paso: str) -> bool:
        fila = self.avance()["avance"][self.custodio().indice - 1]
        return bool(fila[paso])

    def _esperar(self, listo: Callable[[], Any], que: str) -> Any:
        limite = time.monotonic() + self.espera
        while True:
            resultado = listo()
            if resultado:
                return resultado
            if time.monotonic() >= limite:
                raise ErrorCustodio(
                    "ceremonia_fuera_de_orden" if self.espera == 0 else "tiempo_agotado",
                    f"Aún no: {que}." + ("" if self.espera == 0 else f" (se esperó {self.espera:.0f} s)"),
                )
            time.sleep(INTERVALO_SONDEO)

    def _quejarse(self, quejas: tuple[Queja, ...] | list[Queja]) -> None:
        self.api.pedir("POST", f"{self.raiz}/ceremonia/quejas", {"documentos": [serializar(q) for q in quejas]})
        acusados = ", ".join(str(q.acusado) for q in quejas)
        raise ErrorCustodio(
            "queja_presentada",
            f"Se presentó una queja contra {acusados}; la ceremonia se detiene.",
            {"acusados": acusados},
        )

    # -- pasos (19.5)
    def publicar(self) -> None:
        """Paso 1: compromisos y pruebas de Schnorr."""
        custodio = self.custodio()
        if self._mio("compromisos"):
            self.avisar(f"Custodio {custodio.indice}: compromisos ya publicados.")
            return
        self.api.pedir(
            "POST", f"{self.raiz}/ceremonia/compromisos", {"documento": serializar(custodio.publicar_compromisos())}
        )
        self.avisar(f"Custodio {custodio.indice}: compromisos publicados.")

    def _verificar_compromisos(self) -> None:
        if self._compromisos_verificados:
            return
        custodio = self.custodio()
        n = self.configuracion().custodios

        def todos() -> list[str] | None:
            docs = self.avance() and self.api.pedir("GET", f"{self.raiz}/ceremonia/compromisos")["documentos"]
            return docs if len(docs) == n else None

        textos = self._esperar(todos, "faltan compromisos de otros custodios")
        mensajes = [deserializar(t, CompromisosCustodio, GRUPO_ESTANDAR) for t in textos]
        quejas = custodio.recibir_compromisos(mensajes)
        if quejas:
            self._quejarse(quejas)
        self._compromisos_verificados = True
        self.avisar(f"Custodio {custodio.indice}: compromisos de los {n} custodios verificados.")

    def comparticiones(self) -> None:
        """Paso 2: verifica los compromisos de todos y envía sus comparticiones cifradas."""
        self._verificar_compromisos()
        custodio = self.custodio()
        if self._mio("comparticiones"):
            self.avisar(f"Custodio {custodio.indice}: comparticiones ya enviadas.")
            return
        documentos = [serializar(m) for m in custodio.comparticiones()]
        self.api.pedir("POST", f"{self.raiz}/ceremonia/comparticiones", {"documentos": documentos})
        self.avisar(f"Custodio {custodio.indice}: {len(documentos)} comparticiones cifradas enviadas.")

    def _verificar_comparticiones(self, confirmar: bool) -> None:
        if self._comparticiones_verificadas:
            return
        self._verificar_compromisos()
        custodio = self.custodio()
        n = self.configuracion().custodios

        def recibidas() -> list[str] | None:
            self.avance()
            docs = self.api.pedir("GET", f"{self.raiz}/ceremonia/comparticiones")["documentos"]
            return docs if len(docs) == n - 1 else None

        textos = self._esperar(recibidas, "faltan comparticiones dirigidas a este custodio")
        resultado = custodio.recibir_comparticiones(
            deserializar(t, ComparticionCifrada, GRUPO_ESTANDAR) for t in textos
        )
        if isinstance(resultado, tuple):
            self._quejarse(resultado)
        self._comparticiones_verificadas = True
        if confirmar and not self._mio("confirmacion_comparticiones"):
            self.api.pedir(
                "POST", f"{self.raiz}/ceremonia/confirmacion_comparticiones", {"documento": serializar(resultado)}
            )
            self.avisar(f"Custodio {custodio.indice}: comparticiones verificadas y confirmadas.")

    def verificar(self) -> None:
        """Paso 3: descifra y verifica (Feldman) las comparticiones recibidas; confirma o se queja."""
        self._verificar_comparticiones(confirmar=True)

    def confirmar(self, esperar_publicacion: bool = False) -> str | None:
        """Paso 4: recalcula el registro y confirma H_R; con ``esperar_publicacion``, espera K y H_E."""
        self._verificar_comparticiones(confirmar=False)
        custodio = self.custodio()
        self._esperar(lambda: self.avance()["registro_disponible"], "faltan confirmaciones de comparticiones")
        texto = self.api.pedir("GET", f"{self.raiz}/ceremonia/registro")["documento"]
        registro = deserializar(texto, RegistroLlaves, GRUPO_ESTANDAR)
        try:
            confirmacion = custodio.confirmar_registro(registro)
        except ErrorVMRE:
            self._quejarse([Queja(custodio.indice, 0, Motivo.REGISTRO_LLAVES_DISCREPANTE.value)])
            raise  # pragma: no cover - _quejarse siempre lanza
        if not self._mio("confirmacion_registro"):
            self.api.pedir(
                "POST", f"{self.raiz}/ceremonia/confirmacion_registro", {"documento": serializar(confirmacion)}
            )
        h_r = confirmacion.hash_registro.hex().upper()
        self.avisar(f"Custodio {custodio.indice}: H_R = {h_r} confirmado.")
        if not esperar_publicacion:
            return None

        def publicada() -> str | None:
            avance = self.avance()
            return avance["h_e"] if avance["estado"] != "ceremonia" else None

        h_e = str(self._esperar(publicada, "faltan confirmaciones del registro de otros custodios"))
        if h_e != registro.h_e.hex().upper():
            raise ErrorCustodio("h_e_discrepante", "El H_E publicado no coincide con el del registro confirmado.")
        return h_e

    def llave(self) -> LlaveCustodio:
        """Tras la publicación (19.14): rehace, sin enviar nada, la verificación de compromisos, de las
        comparticiones que el servidor conserva cifradas y del registro publicado, y devuelve P(ℓ)
        (para el descifrado).  El secreto no sale de este proceso."""
        if self.avance()["estado"] == "ceremonia":
            raise ErrorCustodio("ceremonia_fuera_de_orden", "La llave aún no se publica.")
        self._verificar_comparticiones(confirmar=False)
        custodio = self.custodio()
        texto = self.api.pedir("GET", f"{self.raiz}/ceremonia/registro")["documento"]
        try:
            custodio.confirmar_registro(deserializar(texto, RegistroLlaves, GRUPO_ESTANDAR))
        except ErrorVMRE as e:
            raise ErrorCustodio("registro_discrepante", f"El registro publicado no coincide: {e}") from None
        return custodio.llave()

    def ceremonia(self) -> str:
        """Todos los pasos que falten, en orden, esperando a los demás; devuelve H_E."""
        if not self.ruta.exists():
            self.registrar()
        self.publicar()
        self.comparticiones()
        self.verificar()
        h_e = self.confirmar(esperar_publicacion=True)
        assert h_e is not None
        return h_e
