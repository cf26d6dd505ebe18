"""
What ctapipe-process makes of configuration files, per telescope of a DL1
file's subarray (JSON on stdout), for comparing Lightpool's reading of the
same files with ctapipe's (test/unit/main/process/process-config-ctapipe.test.ts).

    python ctapipe-process-config.py DL1_FILE [CONFIG...]

The files are loaded as ctapipe-process loads them (Tool.load_config_file, in
order; TOML through the standard library's tomllib and Tool.update_config, the
same steps, since the `toml` package ctapipe uses is not installed here), then ImageProcessor and ShowerProcessor are built with the tool as
parent, as ProcessorTool does. Per tel_id: the telescope type string and the
TailcutsImageCleaner values (or the error ctapipe raises for that
telescope); the ImageQualityQuery and StereoQualityQuery criteria, the
cleaner type and the warnings ctapipe logs (e.g. a type pattern that matches
no telescope). With --resources it prints the path of ctapipe's resources
folder instead.
"""
import json
import logging
import os
import sys
import warnings

warnings.simplefilter("ignore")


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def main():
    import ctapipe

    if sys.argv[1] == "--resources":
        print(os.path.join(os.path.dirname(ctapipe.__file__), "resources"))
        return
    from ctapipe.image import ImageProcessor
    from ctapipe.instrument import SubarrayDescription
    from ctapipe.reco import ShowerProcessor
    from ctapipe.tools.process import ProcessorTool

    path, configs = sys.argv[1], sys.argv[2:]
    tool = ProcessorTool()
    # after the tool has set up ctapipe's logging
    collect = Collect()
    logging.getLogger("ctapipe").addHandler(collect)
    logging.getLogger("ctapipe").setLevel(logging.WARNING)
    out = {"configs": configs}
    try:
        for c in configs:
            if c.endswith(".toml"):
                # ctapipe reads TOML with the `toml` package, which Debian 12's Python lacks here:
                # the same path through the standard library's reader (Tool.load_config_file's TOML branch)
                import tomllib
                from traitlets.config import Config

                with open(c, "rb") as f:
                    tool.update_config(Config(tomllib.load(f)))
            else:
                tool.load_config_file(c)
        subarray = SubarrayDescription.from_hdf(path, focal_length_choice="EQUIVALENT")
        ip = ImageProcessor(subarray=subarray, parent=tool)
        sp = ShowerProcessor(subarray=subarray, parent=tool)
    except Exception as e:  # noqa: BLE001
        out["error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(out))
        return
    tels = {}
    for tel_id, tel in subarray.tel.items():
        row = {"type": str(tel)}
        for trait in ("picture_threshold_pe", "boundary_threshold_pe", "min_picture_neighbors", "keep_isolated_pixels"):
            try:
                v = getattr(ip.clean, trait).tel[tel_id]
                row[trait] = v.item() if hasattr(v, "item") else v
            except Exception as e:  # noqa: BLE001
                row[trait] = None
                row.setdefault("errors", []).append(f"{trait}: {type(e).__name__}")
        tels[str(tel_id)] = row
    out["telescopes"] = tels
    out["cleaner"] = type(ip.clean).__name__
    out["image_quality"] = [list(c) for c in ip.check_image.quality_criteria]
    out["stereo_quality"] = [list(c) for r in sp.reconstructors for c in r.quality_query.quality_criteria]
    out["reconstructors"] = [type(r).__name__ for r in sp.reconstructors]
    out["warnings"] = collect.messages
    print(json.dumps(out))


if __name__ == "__main__":
    main()
