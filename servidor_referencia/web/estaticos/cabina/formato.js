// Formatos de la cabina (§24): códigos legibles, normalización y descarga local de archivos.

/** (24.7) 64 dígitos hexadecimales en grupos de 4 separados por espacios: «A1B2 C3D4 …». */
export function agruparHex(hex, tamano = 4) {
  const limpio = String(hex).toUpperCase();
  const grupos = [];
  for (let i = 0; i < limpio.length; i += tamano) grupos.push(limpio.slice(i, i + tamano));
  return grupos.join(" ");
}

/**
 * (24.7) Pone el código en ``nodo`` como 16 grupos de 4 (la hoja los acomoda de 4 en 4); entre
 * grupo y grupo queda un espacio, así que al copiarlo sale «A1B2 C3D4 …».
 */
export function mostrarCodigo(nodo, hex) {
  const grupos = agruparHex(hex).split(" ");
  const hijos = [];
  grupos.forEach((grupo, i) => {
    if (i > 0) hijos.push(document.createTextNode(" "));
    hijos.push(el("span", { texto: grupo }));
  });
  nodo.replaceChildren(...hijos);
}

/** Un código escrito por una persona: sin espacios ni guiones, en mayúsculas. */
export function normalizarCodigo(texto) {
  return String(texto).replace(/[\s-]/g, "").toUpperCase();
}

/** ¿Es un código de confirmación (8.5) bien escrito? 64 dígitos hexadecimales. */
export function esCodigo(texto) {
  return /^[0-9A-F]{64}$/.test(texto);
}

/**
 * (24.8) Descarga un objeto como archivo JSON generado en el navegador (Blob): nada se pide al
 * servidor.
 */
export function descargarJson(nombre, objeto) {
  const texto = JSON.stringify(objeto, null, 2) + "\n";
  const url = URL.createObjectURL(new Blob([texto], { type: "application/json" }));
  const enlace = document.createElement("a");
  enlace.href = url;
  enlace.download = nombre;
  enlace.hidden = true;
  document.body.append(enlace);
  enlace.click();
  enlace.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Crea un elemento con atributos y texto (nunca HTML: todo texto entra como texto). */
export function el(etiqueta, atributos = {}, ...hijos) {
  const nodo = document.createElement(etiqueta);
  for (const [clave, valor] of Object.entries(atributos)) {
    if (valor === null || valor === undefined || valor === false) continue;
    if (clave === "texto") nodo.textContent = valor;
    else nodo.setAttribute(clave, valor === true ? "" : String(valor));
  }
  for (const hijo of hijos) {
    if (hijo === null || hijo === undefined) continue;
    nodo.append(typeof hijo === "string" ? document.createTextNode(hijo) : hijo);
  }
  return nodo;
}
