"""The seed-style peer the benchmarks measure beside the service: the FastAPI + scikit-learn
prediction service of the tutorials this project replaces. POST /predict {"features": [...]}
answers {"prediction": ..., "model_version": ...}. The model is read from SEED_MODEL (a joblib
file) when the worker starts.
"""
import os
from typing import List

import joblib
from fastapi import FastAPI
from pydantic import BaseModel

MODEL = joblib.load(os.environ["SEED_MODEL"])
VERSION = "seed"

app = FastAPI()


class Request(BaseModel):
    features: List[float]


@app.post("/predict")
def predict(request: Request) -> dict:
    label = MODEL.predict([request.features])[0]
    return {"prediction": str(label), "model_version": VERSION}
