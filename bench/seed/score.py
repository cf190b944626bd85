"""Scores a CSV the seed-style way: pandas read_csv of the whole file, then the peer's
scikit-learn model's predict and predict_proba, then to_csv: the same columns the service's score
mode writes with --id (id, prediction, probability_<label> per label).

usage: python3 bench/seed/score.py MODEL_DIR INPUT_CSV OUTPUT_CSV
Prints one line: rows=N seconds=S
"""
import sys
import time
from pathlib import Path

import joblib
import pandas as pd

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def main(model_dir: str, input_csv: str, output_csv: str) -> None:
    start = time.monotonic()
    model = joblib.load(Path(model_dir) / "model.joblib")
    frame = pd.read_csv(input_csv)
    x = frame[FEATURES].to_numpy()
    out = pd.DataFrame({"id": frame["id"], "prediction": model.predict(x)})
    probabilities = model.predict_proba(x)
    for i, label in enumerate(model.classes_):
        out[f"probability_{label}"] = probabilities[:, i]
    out.to_csv(output_csv, index=False)
    print(f"rows={len(frame)} seconds={time.monotonic() - start:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3])
