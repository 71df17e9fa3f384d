"""Links the benchmark's synthetic reports with Splink (DuckDB backend) and scores it.

Reads the CSV written by the `link_estimate` bench (one row per report, with the true
gathering in `truth`), trains a Splink model the usual way (u by random sampling, m by
expectation maximisation on two blocking rules), predicts, clusters, and prints one JSON
object: the time taken and the pairwise precision and recall against the truth.

Usage: python bench_splink.py reports.csv
"""

import json
import sys
import time
from collections import Counter

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def pairs(counts):
    return sum(c * (c - 1) // 2 for c in counts.values())


def pairwise(predicted, truth):
    by_pred = Counter(predicted)
    by_truth = Counter(truth)
    by_both = Counter(zip(predicted, truth))
    pp, tp, both = pairs(by_pred), pairs(by_truth), pairs(by_both)
    return (both / pp if pp else 1.0), (both / tp if tp else 1.0)


def main(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    started = time.perf_counter()
    df["unique_id"] = df["unique_id"].astype(int)
    # The same light normalization Tally's linker applies before comparing.
    df["locality_norm"] = df["locality"].str.lower().str.replace("st. ", "saint ", regex=False)
    df["title_norm"] = (
        df["title"].str.lower().str.replace(r"\b(rally|protest|march)\b", "", regex=True).str.strip()
    )
    for column in ["title_norm", "event_type", "locality_norm"]:
        df.loc[df[column] == "", column] = None
    data = df[["unique_id", "date", "state", "locality_norm", "title_norm", "event_type"]].copy()

    db_api = DuckDBAPI()
    table = db_api.register(data)
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("state", "locality_norm"),
            block_on("state", "date", "title_norm"),
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("locality_norm", [0.95, 0.88]),
            cl.ExactMatch("title_norm"),
            cl.AbsoluteDateDifferenceAtThresholds(
                "date", input_is_string=True, metrics=["day"], thresholds=[1]
            ),
            cl.ExactMatch("event_type"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=40)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("state", "locality_norm", "date")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("state", "title_norm", "date")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    predict_seconds = time.perf_counter() - started
    results = {}
    # Two usual cluster thresholds: 0.5 (the prediction threshold) and a strict 0.9.
    for threshold in (0.5, 0.9):
        cluster_started = time.perf_counter()
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        result = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
        seconds = predict_seconds + time.perf_counter() - cluster_started
        merged = df[["unique_id", "truth"]].merge(result, on="unique_id", how="left")
        merged["cluster_id"] = merged["cluster_id"].fillna(merged["unique_id"].astype(str))
        precision, recall = pairwise(list(merged["cluster_id"]), list(merged["truth"]))
        results[str(threshold)] = {
            "seconds": round(seconds, 2),
            "precision": round(precision, 5),
            "recall": round(recall, 5),
        }
    tally_precision, tally_recall = pairwise(list(df["tally_cluster"]), list(df["truth"]))
    print(
        json.dumps(
            {
                "splink_version": __import__("splink").__version__,
                "splink_reports": len(df),
                "splink": results,
                "tally_precision_check": round(tally_precision, 5),
                "tally_recall_check": round(tally_recall, 5),
            }
        )
    )

if __name__ == "__main__":
    main(sys.argv[1])
