// Add compiled bytecode to pure wheels, with the Pyodide (Python 3.14) the site serves.
//
//   node compile-wheels.mjs PYODIDE_DIR IN_DIR OUT_DIR
//
// Every IN_DIR/*.whl is written to OUT_DIR with a __pycache__/*.cpython-314.pyc beside each
// module (unchecked-hash pycs: valid whatever the unpacked files' times).  The sources stay, so
// tracebacks still show lines.  The browser then imports IPython and friends without compiling
// them on every page load.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [, , pyodideDir, inDir, outDir] = process.argv;
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + "/", stdout: () => {}, stderr: () => {} });
for (const [where, dir] of [["/in", inDir], ["/out", outDir]]) {
  py.FS.mkdirTree(where);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, where);
}
await py.runPythonAsync(`
import compileall, py_compile, shutil, warnings, zipfile
from pathlib import Path

warnings.simplefilter("ignore")  # invalid escapes in third-party tests are not ours to report
for wheel in sorted(Path("/in").glob("*.whl")):
    work = Path("/tmp/wheel")
    shutil.rmtree(work, ignore_errors=True)
    with zipfile.ZipFile(wheel) as zin:
        zin.extractall(work)
    ok = compileall.compile_dir(str(work), quiet=2, workers=1,
                                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    if not ok:
        raise SystemExit(f"could not compile {wheel.name}")
    record = next(work.glob("*.dist-info/RECORD"))
    pycs = sorted(p.relative_to(work).as_posix() for p in work.rglob("*.pyc"))
    record.write_text(record.read_text() + "".join(f"{p},,\\n" for p in pycs))
    with zipfile.ZipFile(Path("/out") / wheel.name, "w", zipfile.ZIP_DEFLATED) as zout:
        for path in sorted(p for p in work.rglob("*") if p.is_file()):
            zout.write(path, path.relative_to(work).as_posix())
`);
