"""deploy/k8s: every overlay rendered by kustomize, validated against the Kubernetes schemas
(kubernetes-validate) and the KEDA / Prometheus-operator CRD schemas (tests/deploy/schemas), and tied
to the code: probe paths and port, the consumer group, partitions, settings names, metric names."""

from __future__ import annotations

import copy
import re
from typing import Any

import jsonschema
import kubernetes_validate
import promql_parser
import pytest

from sieve.pipeline.metrics import Counter, Histogram, Metrics
from sieve.pipeline.settings import Settings, load

from .conftest import K8S, OVERLAYS, REPO, SETTINGS, SIEVE_NAME, build, load_json, one, worker_env

#: Kubernetes versions the manifests must be valid for: the oldest we support and the newest known.
K8S_VERSIONS = ("1.30", kubernetes_validate.utils.latest_version())
CRD_SCHEMAS = {
    ("keda.sh/v1alpha1", "ScaledObject"): "keda.sh_v1alpha1_scaledobject.json",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): "keda.sh_v1alpha1_triggerauthentication.json",
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "monitoring.coreos.com_v1_servicemonitor.json",
    ("monitoring.coreos.com/v1", "PrometheusRule"): "monitoring.coreos.com_v1_prometheusrule.json",
}
#: Labels Prometheus adds to every scraped series (target labels of a ServiceMonitor).
TARGET_LABELS = {"namespace", "pod", "service", "endpoint", "container", "job", "instance"}
#: KEDA's Kafka scaler: SASL mechanism names for the worker's SIEVE_KAFKA_SASL_MECHANISM.
KEDA_SASL = {"PLAIN": "plaintext", "SCRAM-SHA-256": "scram_sha256", "SCRAM-SHA-512": "scram_sha512"}


def _web_routes() -> set[str]:
    source = (REPO / "service" / "sieve" / "pipeline" / "web.py").read_text()
    return set(re.findall(r"""\.page\(\s*["']([^"']+)["']""", source))


def _strict(schema: Any) -> Any:
    """A CRD schema as the API server applies it: unknown fields are errors (structural schemas)."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def _crd_validator(api_version: str, kind: str) -> jsonschema.Draft7Validator:
    schema = _strict(load_json(CRD_SCHEMAS[(api_version, kind)]))
    return jsonschema.Draft7Validator(schema)


def _validate(obj: dict[str, Any]) -> list[str]:
    """Every schema problem of one object (empty list: valid)."""
    key = (obj["apiVersion"], obj["kind"])
    if key in CRD_SCHEMAS:
        return [f"{e.json_path}: {e.message}" for e in _crd_validator(*key).iter_errors(obj)]
    problems = []
    for version in K8S_VERSIONS:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            problems.append(f"k8s {version}: {'.'.join(map(str, exc.path))}: {exc.message}")
    return problems


def _settings(objects: list[dict[str, Any]]) -> Settings:
    """The worker's settings as the pod would load them (SASL secrets stand in for the real ones)."""
    env = {k: v for k, v in worker_env(objects).items() if k.startswith("SIEVE_") and not v.startswith("<")}
    env.setdefault("SIEVE_KAFKA_SASL_USERNAME", "user")
    env.setdefault("SIEVE_KAFKA_SASL_PASSWORD", "secret")
    return load(env)


def _container(objects: list[dict[str, Any]]) -> dict[str, Any]:
    pod = one(objects, "Deployment", "sieve")["spec"]["template"]["spec"]
    assert len(pod["containers"]) == 1
    container: dict[str, Any] = pod["containers"][0]
    return container


# ---- rendering and schemas ----------------------------------------------------------------------
def test_there_are_dev_and_prod_overlays() -> None:
    assert {"dev", "prod"} <= set(OVERLAYS)


def test_base_renders_on_its_own(kustomize: str) -> None:
    kinds = {o["kind"] for o in build(kustomize, K8S / "base")}
    expected = {"Deployment", "ConfigMap", "Secret", "Service", "ServiceMonitor", "PodDisruptionBudget"}
    assert expected | {"ScaledObject", "PrometheusRule", "ServiceAccount"} <= kinds


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_objects_are_valid(rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    problems = {f"{o['kind']}/{o['metadata']['name']}": _validate(o) for o in objects}
    assert not {k: v for k, v in problems.items() if v}, problems
    for o in objects:
        name = o["metadata"]["name"]
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?", name), f"{o['kind']} name {name!r}"
        if o["kind"] != "Namespace":
            assert o["metadata"]["namespace"] == one(objects, "Namespace")["metadata"]["name"]


def test_validation_catches_mistakes(rendered: dict[str, list[dict[str, Any]]]) -> None:
    """The validators are not vacuous: a misspelt field fails for core kinds and for each CRD."""
    for o in rendered["prod"]:
        broken = copy.deepcopy(o)
        broken.setdefault("spec", {})["replicaz"] = 3
        if o["kind"] in ("Namespace", "ServiceAccount", "ConfigMap"):
            broken = {**copy.deepcopy(o), "dataz": {}}
        assert _validate(broken), f"{o['kind']} with an unknown field passed validation"
    deployment = copy.deepcopy(one(rendered["prod"], "Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "http"
    assert _validate(deployment)
    scaled = copy.deepcopy(one(rendered["prod"], "ScaledObject"))
    scaled["spec"]["minReplicaCount"] = "one"
    assert _validate(scaled)


# ---- tied to the code ---------------------------------------------------------------------------
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_probes_use_the_real_endpoints_and_port(rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    container = _container(objects)
    settings = _settings(objects)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": settings.web_port} and settings.web_port == int(SETTINGS["SIEVE_WEB_PORT"])
    assert settings.web_host == "0.0.0.0", "the kubelet probes the pod IP: bind all interfaces"
    routes = _web_routes()
    expected = {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}
    for probe, path in expected.items():
        get = container[probe]["httpGet"]
        assert get["path"] == path and get["path"] in routes
        assert ports.get(get["port"], get["port"]) == settings.web_port
    service = one(objects, "Service", "sieve-metrics")
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(settings.web_port, "http")]
    monitor = one(objects, "ServiceMonitor")
    assert [(e["port"], e["path"]) for e in monitor["spec"]["endpoints"]] == [("http", "/metrics")]
    assert "/metrics" in routes
    labels = service["metadata"]["labels"]
    assert all(labels.get(k) == v for k, v in monitor["spec"]["selector"]["matchLabels"].items())
    pod_labels = one(objects, "Deployment")["spec"]["template"]["metadata"]["labels"]
    budget = one(objects, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"]
    for selector in (service["spec"]["selector"], budget):
        assert all(pod_labels.get(k) == v for k, v in selector.items())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_restricted_security_context(rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    pod = one(objects, "Deployment")["spec"]["template"]["spec"]
    container = _container(objects)
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] >= 1000
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    sc = container["securityContext"]
    assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"] is True
    assert sc["capabilities"]["drop"] == ["ALL"] and not sc["capabilities"].get("add")
    assert pod["automountServiceAccountToken"] is False
    # A read-only root: faust's data dir and /tmp are emptyDirs.
    settings = _settings(objects)
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: volumes[m["name"]] for m in container["volumeMounts"]}
    assert "emptyDir" in mounts[str(settings.data_dir)] and "emptyDir" in mounts["/tmp"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_grace_period_exceeds_the_shutdown_grace(rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    grace = one(objects, "Deployment")["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    settings = _settings(objects)
    # SIGTERM: finish the in-flight page (shutdown grace), then commit and leave the group.
    assert grace > settings.shutdown_grace + 10


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_sieve_variable_exists_in_the_settings(rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    text = repr(objects)
    used = set(SIEVE_NAME.findall(text))
    assert used <= set(SETTINGS), f"unknown SIEVE_* variables: {sorted(used - set(SETTINGS))}"
    _settings(objects)  # the ConfigMap's values load without a single problem


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_keda_scales_the_app_consumer_group_within_the_partitions(
    rendered: dict[str, list[dict[str, Any]]], overlay: str
) -> None:
    objects = rendered[overlay]
    settings = _settings(objects)
    scaled = one(objects, "ScaledObject")
    spec = scaled["spec"]
    assert spec["scaleTargetRef"]["name"] == one(objects, "Deployment")["metadata"]["name"]
    assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"] <= settings.partitions
    assert "replicas" not in one(objects, "Deployment")["spec"], "KEDA owns the replica count"
    [trigger] = spec["triggers"]
    meta = trigger["metadata"]
    assert trigger["type"] == "kafka"
    assert meta["consumerGroup"] == settings.group_id == Settings().group_id == SETTINGS["SIEVE_GROUP_ID"]
    assert meta["topic"] == settings.topic_raw
    if "bootstrapServersFromEnv" in meta:  # resolved by KEDA from the worker container's env
        assert meta["bootstrapServersFromEnv"] == "SIEVE_KAFKA_BOOTSTRAP"
        assert worker_env(objects)["SIEVE_KAFKA_BOOTSTRAP"] == settings.bootstrap
    else:
        assert meta["bootstrapServers"] == settings.bootstrap
    assert meta.get("allowIdleConsumers", "false") == "false"
    # Slow scale-down: a stabilization window and at most one pod per period.
    down = spec["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]["scaleDown"]
    assert down["stabilizationWindowSeconds"] >= 300
    assert all(p["type"] == "Pods" and p["value"] == 1 and p["periodSeconds"] >= 60 for p in down["policies"])
    # KEDA reads the lag with the same security settings as the worker.
    if settings.security_protocol.startswith("SASL_"):
        assert meta["sasl"] == KEDA_SASL[settings.sasl_mechanism]
        auth = one(objects, "TriggerAuthentication", trigger["authenticationRef"]["name"])
        params = {t["parameter"]: t for t in auth["spec"]["secretTargetRef"]}
        assert params["username"]["key"] == "SIEVE_KAFKA_SASL_USERNAME"
        assert params["password"]["key"] == "SIEVE_KAFKA_SASL_PASSWORD"
        secret_refs = [s["secretRef"] for s in _container(objects)["envFrom"] if "secretRef" in s]
        assert {params["username"]["name"], params["password"]["name"]} == {s["name"] for s in secret_refs}
    else:
        assert meta.get("sasl", "none") == "none"
    assert (meta.get("tls", "disable") == "enable") == settings.security_protocol.endswith("SSL")


def test_credentials_stay_out_of_git(rendered: dict[str, list[dict[str, Any]]]) -> None:
    """prod renders no Secret (it is created out of band) and requires it; dev's is empty."""
    assert not [o for o in rendered["prod"] if o["kind"] == "Secret"]
    refs = [s["secretRef"] for s in _container(rendered["prod"])["envFrom"] if "secretRef" in s]
    assert refs and all(r.get("optional") is False for r in refs)
    secret = one(rendered["dev"], "Secret", "sieve-kafka-credentials")
    assert set(secret["stringData"]) == {"SIEVE_KAFKA_SASL_USERNAME", "SIEVE_KAFKA_SASL_PASSWORD"}
    assert not any(secret["stringData"].values())


def test_prod_is_sized_for_its_partitions(rendered: dict[str, list[dict[str, Any]]]) -> None:
    settings = _settings(rendered["prod"])
    assert settings.security_protocol == "SASL_SSL" and settings.replication >= 3
    assert one(rendered["prod"], "ScaledObject")["spec"]["maxReplicaCount"] == settings.partitions
    image = _container(rendered["prod"])["image"]
    assert ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest")


# ---- alerts -------------------------------------------------------------------------------------
def _metric_labels() -> dict[str, set[str]]:
    """Every series name /metrics exports -> its labels."""
    names: dict[str, set[str]] = {}
    for metric in vars(Metrics()).values():
        if isinstance(metric, Histogram):
            names[metric.name + "_bucket"] = {"le"}
            names[metric.name + "_sum"] = set()
            names[metric.name + "_count"] = set()
        elif isinstance(metric, Counter):  # gauges too
            full = metric.name + ("_total" if metric.kind == "counter" else "")
            names[full] = set(metric.label_names)
    return names


def _selectors(expr: str) -> list[tuple[str, dict[str, str]]]:
    found: list[tuple[str, dict[str, str]]] = []

    def visit(node: Any, *_: Any) -> bool:
        if isinstance(node, promql_parser.VectorSelector):
            found.append((node.name, {m.name: m.value for m in node.matchers.matchers}))
        return True

    promql_parser.walk(promql_parser.parse(expr), visit)
    return found


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_alerts_parse_and_use_real_metrics(rendered: dict[str, list[dict[str, Any]]], overlay: str) -> None:
    objects = rendered[overlay]
    settings = _settings(objects)
    metrics = _metric_labels()
    rules = [r for g in one(objects, "PrometheusRule")["spec"]["groups"] for r in g["rules"]]
    names = {r["alert"] for r in rules}
    assert {"SieveConsumerLagGrowing", "SieveDeadLetterRateHigh", "SieveNoProgress"} <= names
    service = one(objects, "Service", "sieve-metrics")["metadata"]["name"]
    for rule in rules:
        for name, matchers in _selectors(rule["expr"]):  # parse errors raise here
            if name == "up":
                assert matchers.get("job") == service, "prometheus-operator names the job after the Service"
                continue
            assert name in metrics, f"{rule['alert']}: {name} is not exported by /metrics"
            assert set(matchers) <= metrics[name] | TARGET_LABELS, f"{rule['alert']}: labels {matchers}"
            if "topic" in matchers:
                assert matchers["topic"] in (settings.topic_raw, settings.topic_by_id)
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "0s"))
