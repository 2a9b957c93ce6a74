"""The order of models/pipeline.cfg, checked by spaCy's analyze_pipes from what each component declares."""
import pytest

from pipeline.nlp import load_pipeline

# ner is in the config but disabled: entity_gate calls it on the sentences that need entities
SHIPPED = ["article", "line_sentences", "senter", "ner", "entity_gate", "publication_dater", "number_finder", "claim_parser", "period_finder",
           "council_linker", "claim_builder"]
DECLARED = ["article", "line_sentences", "entity_gate", "publication_dater", "number_finder", "claim_parser",
            "period_finder", "council_linker", "claim_builder"]


def moved(name: str, before: str) -> list[str]:
    order = [n for n in SHIPPED if n != name]
    order.insert(order.index(before), name)
    return order


@pytest.fixture(scope="module")
def shipped_problems(nlp_model):
    assert nlp_model.component_names == SHIPPED
    return nlp_model.analyze_pipes(pretty=False)["problems"]


@pytest.mark.model
@pytest.mark.parametrize("name", DECLARED)
def test_shipped_order_meets_each_requirement(shipped_problems, name):
    assert shipped_problems[name] == []


@pytest.mark.model
def test_shipped_order_has_no_problems(shipped_problems):
    assert {name: problems for name, problems in shipped_problems.items() if problems} == {}


@pytest.mark.model
@pytest.mark.parametrize("order,component,unmet", [
    # periods need the numbers, their change ends and roles: before number_finder they silently got none
    (moved("period_finder", before="number_finder"), "period_finder", {"doc.spans", "span._.change_id", "span._.role"}),
    # "currently" and the publication fallback need the publication date
    (moved("publication_dater", before="council_linker"), "period_finder", {"doc._.publication"}),
    # the article and its segments are attached before the pipeline; the article component stands for that
    (moved("article", before="claim_builder"), "publication_dater", {"doc._.article", "doc._.segments"}),
])
def test_wrong_order_is_reported(order, component, unmet):
    nlp = load_pipeline(overrides={"nlp.pipeline": order})
    assert nlp.component_names == order
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert set(problems[component]) == unmet
