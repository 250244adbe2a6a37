//! Server functions over plain HTTP (P5.5, P7.2 announcements; P10.1 platform facts).

use crate::helpers::spawn_app;
use app::error::AppError;
use app::model::announcement::{Announcement, AnnouncementKind, Bilingual, MAX_LIST};
use app::model::system::PlatformInfo;
use app::model::UtcMillis;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn platform_info_comes_from_configuration() {
    let app = spawn_app().await;
    let res = app.call("platform_info", &[]).await;
    assert_eq!(res.status(), 200);
    let info: PlatformInfo = res.json().await.unwrap();
    assert_eq!(info.contact_email, "privacy@platform.example.com");
    assert!(!info.operator_name.zh.is_empty());
    // Each language has its own text: English pages show no Chinese (P4.1, P10.1).
    assert_eq!(info.storage_region.zh, "中国大陆");
    assert_eq!(info.storage_region.en, "Mainland China");
    assert!(info.operator_name.en.is_ascii(), "{:?}", info.operator_name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announcements_list_and_open_on_both_engines() {
    let app = spawn_app().await;
    let res = app.call("announcements", &[("limit", "5")]).await;
    assert_eq!(res.status(), 200, "engine {}", app.engine);
    let list: Vec<Announcement> = res.json().await.unwrap();
    assert_eq!(list.len(), 1, "the demo seed has one announcement");
    let first = &list[0];
    assert_eq!(first.title.zh, "平台服务上线公告");
    assert_eq!(first.id.len(), 32);

    let res = app.call("announcement", &[("id", &first.id)]).await;
    assert_eq!(res.status(), 200);
    let one: Announcement = res.json().await.unwrap();
    assert_eq!(&one, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_and_malformed_ids_are_typed_not_found() {
    let app = spawn_app().await;
    for id in ["00000000000000000000000000000000", "' OR 1=1 --", ""] {
        let res = app.call("announcement", &[("id", id)]).await;
        assert_eq!(res.status(), 404, "id {id:?}");
        let err: AppError = res.json().await.unwrap();
        assert_eq!(err, AppError::NotFound);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_is_a_400_not_a_500() {
    let app = spawn_app().await;
    let res = app.call("announcement", &[]).await;
    assert_eq!(res.status(), 400);
    assert!(matches!(
        res.json::<AppError>().await.unwrap(),
        AppError::BadRequest(_)
    ));
    let res = app.call("announcements", &[("limit", "many")]).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_limits_are_clamped() {
    let app = spawn_app().await;
    // More announcements than one page may hold, the newest last.
    let now = UtcMillis::now();
    for i in 0..(MAX_LIST as i64 + 10) {
        let a = Announcement {
            id: app::backend::ids::new_id(),
            kind: AnnouncementKind::Maintenance,
            title: Bilingual {
                zh: format!("维护 {i}"),
                en: format!("Maintenance {i}"),
            },
            body: Bilingual {
                zh: "正文".into(),
                en: "Body".into(),
            },
            published_at: UtcMillis(now.0 - 60_000 + i),
        };
        app::backend::announcement::insert(app.db.pool(), &a, now)
            .await
            .unwrap();
    }
    for (limit, expected) in [("0", 1), ("3", 3), ("4000000000", MAX_LIST as usize)] {
        let res = app.call("announcements", &[("limit", limit)]).await;
        assert_eq!(res.status(), 200, "limit {limit}");
        let list: Vec<Announcement> = res.json().await.unwrap();
        assert_eq!(list.len(), expected, "limit {limit}");
    }
    // Newest first: the seeded welcome notice was published after all of these.
    let res = app.call("announcements", &[("limit", "2")]).await;
    let list: Vec<Announcement> = res.json().await.unwrap();
    assert_eq!(list[0].title.zh, "平台服务上线公告");
    assert_eq!(list[1].title.en, format!("Maintenance {}", MAX_LIST + 9));
}

/// P5.2: a state-changing request from another site is refused before it reaches a server
/// function; the same request from this site, or from a non-browser client, goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    let post = |header: Option<(&'static str, String)>| {
        let req = app.client.post(app.url("/api/platform_info"));
        match header {
            Some((name, value)) => req.header(name, value),
            None => req,
        }
        .send()
    };
    let res = post(Some(("origin", "https://evil.example".into())))
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(res.json::<AppError>().await.unwrap(), AppError::Forbidden);
    let res = post(Some(("sec-fetch-site", "cross-site".into())))
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = post(Some(("origin", format!("http://{}", app.addr))))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = post(None).await.unwrap();
    assert_eq!(res.status(), 200);
}
