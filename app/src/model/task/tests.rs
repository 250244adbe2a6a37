//! The task library's rules (issue 18 §1, P1.1.6).

use super::*;

fn form() -> TaskForm {
    TaskForm {
        title: "同城配送".into(),
        description: "午间高峰配送餐食，每单 3 公里以内。".into(),
        category: "配送".into(),
        remote: None,
        city: "福州".into(),
        pay_kind: "per_unit".into(),
        unit_price: "8.50".into(),
        units: "200".into(),
        budget: String::new(),
        workers: "5".into(),
        starts_on: "2026-12-01".into(),
        ends_on: "2026-12-31".into(),
    }
}

fn cats() -> Vec<String> {
    vec!["配送".into(), "设计".into()]
}

fn rules(r: Result<TaskInput, Vec<FieldError>>) -> Vec<(String, Rule)> {
    r.unwrap_err()
        .into_iter()
        .map(|e| (e.field.clone(), e.rule))
        .collect()
}

#[test]
fn p1_1_6_the_life_cycle() {
    use TaskStatus as S;
    use TaskStep as A;
    assert_eq!(S::Draft.after(A::Submit), Some(S::InReview));
    assert_eq!(S::ChangesRequested.after(A::Submit), Some(S::InReview));
    assert_eq!(S::InReview.after(A::Approve), Some(S::Open));
    assert_eq!(S::InReview.after(A::AskChanges), Some(S::ChangesRequested));
    assert_eq!(S::InReview.after(A::Reject), Some(S::Rejected));
    assert_eq!(S::Open.after(A::Close), Some(S::Closed));
    for s in [S::Open, S::Closed, S::Rejected, S::InReview] {
        assert_eq!(s.after(A::Submit), None, "{s:?}");
        assert!(!s.editable());
    }
    for s in [
        S::Draft,
        S::ChangesRequested,
        S::Closed,
        S::Rejected,
        S::Open,
    ] {
        assert_eq!(s.after(A::Approve), None, "{s:?}");
    }
    assert_eq!(S::Draft.after(A::Close), None);
    assert!(TaskDecision::Reject.needs_note() && !TaskDecision::Approve.needs_note());
}

#[test]
fn p1_1_6_a_task_is_parsed_and_its_budget_computed() {
    let t = TaskInput::parse(&form(), &cats(), "2026-12-01", false).unwrap();
    assert_eq!(t.budget, Fen(170_000));
    assert_eq!((t.units, t.unit_price), (200, Fen(850)));
    assert_eq!(
        TaskInput::parse(&t.form(), &cats(), "2026-12-01", false).unwrap(),
        t
    );
    let fixed = TaskForm {
        pay_kind: "fixed".into(),
        budget: "3,000".into(),
        remote: Some("on".into()),
        city: String::new(),
        ..form()
    };
    let t = TaskInput::parse(&fixed, &cats(), "2026-12-01", false).unwrap();
    assert_eq!(
        (t.budget, t.units, t.remote, t.city.as_str()),
        (Fen(300_000), 0, true, "")
    );
}

#[test]
fn p1_1_6_submitting_needs_every_field_a_draft_only_its_title() {
    let empty = TaskForm {
        title: "只有标题".into(),
        ..Default::default()
    };
    let draft = TaskInput::parse(&empty, &cats(), "2026-12-01", true).unwrap();
    assert_eq!(
        (draft.title.as_str(), draft.pay_kind, draft.workers),
        ("只有标题", None, 0)
    );
    let fields: Vec<String> = rules(TaskInput::parse(&empty, &cats(), "2026-12-01", false))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        fields,
        [
            "description",
            "category",
            "city",
            "pay_kind",
            "workers",
            "starts_on",
            "ends_on"
        ]
    );
    // A draft's given fields are still checked.
    let bad = TaskForm {
        category: "赌博".into(),
        ..empty
    };
    assert_eq!(
        rules(TaskInput::parse(&bad, &cats(), "2026-12-01", true)),
        [("category".into(), Rule::Format)]
    );
}

#[test]
fn p1_1_6_dates_workers_and_amounts_are_checked() {
    let cases: Vec<(TaskForm, &str, Rule)> = vec![
        (
            TaskForm {
                ends_on: "2026-11-30".into(),
                ..form()
            },
            "ends_on",
            Rule::OutOfRange,
        ),
        (
            TaskForm {
                starts_on: "2027-01-02".into(),
                ..form()
            },
            "ends_on",
            Rule::OutOfRange,
        ),
        (
            TaskForm {
                starts_on: "2026-02-30".into(),
                ..form()
            },
            "starts_on",
            Rule::Format,
        ),
        (
            TaskForm {
                workers: "0".into(),
                ..form()
            },
            "workers",
            Rule::OutOfRange,
        ),
        (
            TaskForm {
                workers: "3.5".into(),
                ..form()
            },
            "workers",
            Rule::Format,
        ),
        (
            TaskForm {
                unit_price: "-1".into(),
                ..form()
            },
            "unit_price",
            Rule::Amount,
        ),
        (
            TaskForm {
                units: "1000001".into(),
                ..form()
            },
            "units",
            Rule::OutOfRange,
        ),
        (
            TaskForm {
                title: "x".repeat(61),
                ..form()
            },
            "title",
            Rule::TooLong { max: 60 },
        ),
        (
            TaskForm {
                pay_kind: "hourly".into(),
                ..form()
            },
            "pay_kind",
            Rule::Required,
        ),
    ];
    for (f, field, rule) in cases {
        assert_eq!(
            rules(TaskInput::parse(&f, &cats(), "2026-12-01", false)),
            [(field.to_string(), rule)],
            "{field}"
        );
    }
    // A draft may keep an end date already past (it is checked when submitted).
    let old = TaskForm {
        ends_on: "2026-11-30".into(),
        starts_on: "2026-11-01".into(),
        ..form()
    };
    assert!(TaskInput::parse(&old, &cats(), "2026-12-01", true).is_ok());
}

#[test]
fn p1_1_6_forbidden_terms_flag_never_decide() {
    let t = TaskForm {
        description: "高薪刷单，日结。".into(),
        ..form()
    };
    let t = TaskInput::parse(&t, &cats(), "2026-12-01", false).unwrap();
    let terms = vec!["刷单".to_string(), "Gambling".to_string(), " ".to_string()];
    assert_eq!(t.flags(&terms), ["刷单"]);
    let t = TaskInput {
        title: "gambling site design".into(),
        ..t
    };
    assert_eq!(t.flags(&terms), ["刷单", "Gambling"]);
}
