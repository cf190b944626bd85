"""Trains the seed-style peer's model: scikit-learn's LogisticRegression on the same Iris CSV the
service trains on, saved with joblib, as the FastAPI tutorial services this project replaces do.

usage: python3 bench/seed/train.py CSV OUT_DIR
"""
import csv
import sys
from pathlib import Path

import joblib
from sklearn.linear_model import LogisticRegression


def main(csv_path: str, out_dir: str) -> None:
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    x = [[float(row[name]) for name in features] for row in rows]
    y = [row["species"] for row in rows]
    model = LogisticRegression(max_iter=1000).fit(x, y)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    joblib.dump(model, Path(out_dir) / "model.joblib")
    print(f"trained on {len(rows)} rows, training accuracy {model.score(x, y):.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
