#!/usr/bin/env python3
"""Monthly report from the inspection hub: the year's figures by task, written as CSV.

    HUB_URL=https://hub.example.gov.cn HUB_TOKEN=hubrt_... python3 statistics_report.py 2026 > report.csv

Only the Python standard library is used. The token is a department's read-only reporting token
(统计分析 → 报表令牌); it can read statistics and nothing else, and every call is audited.
"""
import csv
import json
import os
import sys
import urllib.error
import urllib.request

QUERY = """
query Report($filter: StatisticsFilter!) {
  statistics(filter: $filter, groupBy: [TASK]) {
    asOf
    rows { label firmsInScope firmsDrawn visits visitsFinalised completionRate visitsWithProblem problemRate
           correctionsOrdered referralsOpened published publicationRate onTimeRate }
    total { label firmsInScope firmsDrawn visits visitsFinalised completionRate visitsWithProblem problemRate
            correctionsOrdered referralsOpened published publicationRate onTimeRate }
  }
}
"""

COLUMNS = [
    ("label", "任务"), ("firmsInScope", "名录户数"), ("firmsDrawn", "实抽户数"), ("visits", "检查户次"),
    ("visitsFinalised", "已办结"), ("completionRate", "完成率"), ("visitsWithProblem", "发现问题户次"),
    ("problemRate", "问题发现率"), ("correctionsOrdered", "责令改正"), ("referralsOpened", "移送"),
    ("published", "已公示"), ("publicationRate", "公示率"), ("onTimeRate", "按期公示率"),
]


def call(url: str, token: str, query: str, variables: dict) -> dict:
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"content-type": "application/json", "authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:  # a refusal still comes back as GraphQL errors
        answer = json.load(error)
    if answer.get("errors"):
        first = answer["errors"][0]
        raise SystemExit(f"{first.get('extensions', {}).get('code')}: {first['message']}")
    return answer["data"]


def main() -> None:
    year = int(sys.argv[1]) if len(sys.argv) > 1 else 2026
    data = call(os.environ.get("HUB_URL", "http://localhost:4000"), os.environ["HUB_TOKEN"], QUERY, {"filter": {"year": year}})
    stats = data["statistics"]
    out = csv.writer(sys.stdout)
    out.writerow([title for _, title in COLUMNS])
    for row in stats["rows"] + [stats["total"]]:
        out.writerow(["" if row[key] is None else row[key] for key, _ in COLUMNS])
    print(f"统计日 {stats['asOf']}", file=sys.stderr)


if __name__ == "__main__":
    main()
