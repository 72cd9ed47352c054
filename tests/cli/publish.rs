//! `roadlog publish`: pages checked in a real browser (headless Chromium, Debian's package), by
//! the DOM it built, not only by the HTML roadlog wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{TODAY, fixture};

/// Headless Chromium, found on this machine (or the test is skipped, see `clients`).
struct Browser(PathBuf);

impl Browser {
    fn find(test: &str) -> Option<Browser> {
        crate::clients::chromium(test).map(Browser)
    }

    /// Chromium with a profile of its own and nothing that reaches for a network.
    fn command(&self, profile: &Path) -> Command {
        self.command_at(profile, 1280)
    }

    /// Chromium with a window `width` pixels wide.
    fn command_at(&self, profile: &Path, width: u32) -> Command {
        let mut cmd = Command::new(&self.0);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ])
        .arg(format!("--window-size={width},1800"))
        .arg(format!("--user-data-dir={}", profile.display()));
        cmd
    }

    /// The DOM Chromium built from a page, after its script ran.
    fn dom(&self, page: &Path) -> String {
        self.dom_at(page, "")
    }

    /// The DOM of a page opened at `#fragment`.
    fn dom_at(&self, page: &Path, fragment: &str) -> String {
        self.dom_wide(page, fragment, 1280)
    }

    /// The DOM of a page opened at `#fragment` in a window `width` pixels wide.
    fn dom_wide(&self, page: &Path, fragment: &str, width: u32) -> String {
        let profile = tempfile::tempdir().expect("tempdir");
        let out = self
            .command_at(profile.path(), width)
            .arg("--dump-dom")
            .arg(format!("file://{}{fragment}", page.display()))
            .output()
            .expect("chromium runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dom = String::from_utf8(out.stdout).expect("utf-8 DOM");
        // The script marks the root element: ready when it ran to its end, error if anything
        // threw.
        let root = dom
            .split("<html")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or("");
        assert!(
            root.contains("data-ready=\"1\""),
            "the page's script ran to its end: <html{root}>"
        );
        assert!(!root.contains("data-error"), "a script error: <html{root}>");
        dom
    }

    /// Screenshots for docs/img when `ROADLOG_SCREENSHOTS` names a folder.
    fn screenshot(&self, page: &Path, fragment: &str, name: &str) {
        let Some(dir) = std::env::var_os("ROADLOG_SCREENSHOTS") else {
            return;
        };
        let profile = tempfile::tempdir().expect("tempdir");
        let shot = Path::new(&dir).join(name);
        let status = self
            .command(profile.path())
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}{fragment}", page.display()))
            .status()
            .expect("chromium runs");
        assert!(status.success());
    }
}

/// `roadlog publish` of `plan` into a new folder, with `extra` arguments.
fn publish(plan: &Path, today: &str, extra: &[&str]) -> (tempfile::TempDir, crate::Run) {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = crate::roadlog_in(
        dir.path(),
        &[
            &[
                "publish",
                "--today",
                today,
                "--plan",
                plan.to_str().expect("utf-8"),
            ][..],
            extra,
        ]
        .concat(),
    );
    (dir, run)
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme")
}

#[test]
fn the_example_plan_publishes_three_pages_a_browser_renders() {
    let (dir, run) = publish(&acme(), "2026-11-24", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "site/index.html\nsite/pm.html\nsite/team.html\n"
    );
    let site = dir.path().join("site");
    let Some(browser) = Browser::find("publish::the_example_plan_publishes_three_pages") else {
        return;
    };

    let index = browser.dom(&site.join("index.html"));
    assert_eq!(
        count(&index, "<article class=\"card theme\""),
        5,
        "a card per theme"
    );
    assert!(index.contains("data-theme=\"enterprise-security\""));
    assert!(
        index.contains("aria-valuenow=\"35\""),
        "progress on the card"
    );
    assert!(
        index.contains("<svg class=\"timeline\""),
        "the timeline is drawn"
    );
    assert!(index.contains("class=\"today\""), "today is marked");
    assert!(index.contains("<h3>Next</h3>"), "the undated board");
    browser.screenshot(&site.join("index.html"), "", "publish-index.png");

    let pm = browser.dom(&site.join("pm.html"));
    assert_eq!(count(&pm, "<li class=\"theme\""), 5, "a branch per theme");
    // Theme, epic, story: a branch in a branch in a branch.
    assert!(
        pm.contains("<li><details><summary><span class=\"row\"><code>BL-100</code>"),
        "an epic is a branch of its theme"
    );
    assert!(
        pm.contains("<li><span class=\"row\"><code>BL-102</code>"),
        "a story, a leaf in it"
    );
    assert!(
        !pm.contains("<details open"),
        "collapsed to themes at first"
    );
    assert!(
        pm.contains("unknown-theme"),
        "every finding of check is on the page"
    );
    assert!(
        pm.contains("<p class=\"finding warning\"><span class=\"id\">inactive-theme-work"),
        "on its item"
    );
    // The script opens the tree and filters it; the page works without it too.
    let expanded = browser.dom_at(&site.join("pm.html"), "#expand");
    let opened = expanded
        .split("<details")
        .skip(1)
        .filter(|tag| {
            tag.split('>')
                .next()
                .is_some_and(|t| t.contains("open=\"\""))
        })
        .count();
    assert_eq!(opened, count(&pm, "<details"), "every part opened");
    // A malformed escape in the address is taken as written: the script still runs to its end
    // (which `dom_at` asserts), print handler included.
    let malformed = browser.dom_at(&site.join("pm.html"), "#filter=%E0%A4%A");
    assert!(
        malformed.contains("id=\"filter\""),
        "the filter box is there"
    );
    let filtered = browser.dom_at(&site.join("pm.html"), "#filter=BL-111");
    let hidden = count(&filtered, "style=\"display: none;\"");
    assert!(hidden > 10, "most rows hidden: {hidden}");
    let bl111 = filtered.split("<code>BL-111</code>").next().unwrap_or("");
    let row = bl111.rsplit("<li").next().unwrap_or("");
    assert!(!row.contains("display: none"), "the match shows: {row}");
    browser.screenshot(&site.join("pm.html"), "#expand", "publish-pm.png");

    let team = browser.dom(&site.join("team.html"));
    let columns: Vec<&str> = team
        .split("data-status=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(
        columns,
        ["blocked", "in-progress", "review"],
        "blocked first"
    );
    assert!(team.contains("data-item=\"BL-150\""));
    browser.screenshot(&site.join("team.html"), "", "publish-team.png");

    // Self-contained: nothing is fetched, whatever opens the file.
    for name in ["index.html", "pm.html", "team.html"] {
        let html = std::fs::read_to_string(site.join(name)).expect("read");
        let outside = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        for reach in ["http://", "https://", "src=", "url(", "@import", "<link"] {
            assert!(!outside.contains(reach), "{name} reaches out: {reach}");
        }
    }
}

#[test]
fn the_executive_page_never_carries_backlog_detail() {
    let plan = roadlog_engine::load::load(
        &roadlog_engine::load::WorkTree::new(&acme()).expect("plan"),
        "acme",
    )
    .expect("loads");
    for extra in [&[][..], &["--external"]] {
        let (dir, run) = publish(&acme(), "2026-11-24", extra);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let html = std::fs::read_to_string(dir.path().join("site/index.html")).expect("read");
        for item in &plan.items {
            let mut leaks = vec![item.id.value.clone(), item.title_text()];
            leaks.extend(item.assignee.iter().map(|a| a.value.clone()));
            leaks.extend(item.sprint.iter().map(|s| s.value.clone()));
            for leak in leaks.iter().filter(|l| !l.is_empty()) {
                assert!(
                    !html.contains(leak.as_str()),
                    "{extra:?}: `{leak}` is on the page"
                );
            }
        }
        assert!(!html.contains(" pts"), "no estimate");
    }
    let (dir, _) = publish(&acme(), "2026-11-24", &["--external"]);
    let site = dir.path().join("site");
    assert!(!site.join("pm.html").exists() && !site.join("team.html").exists());
    let html = std::fs::read_to_string(site.join("index.html")).expect("read");
    for theme in plan.themes.iter() {
        let internal = theme.visibility == roadlog_engine::model::Visibility::Internal;
        assert_eq!(
            html.contains(&format!("data-theme=\"{}\"", theme.id.value)),
            !internal && theme.status() != Some(roadlog_engine::model::ThemeStatus::Dropped),
            "{}",
            theme.id.value
        );
        if let Some(owner) = &theme.owner {
            assert!(
                !html.contains(owner.as_str()),
                "owner {owner} on the external page"
            );
        }
    }
}

#[test]
fn the_customers_page_says_nothing_internal() {
    // The example plan with weeks of history, so the pages carry forecasts.
    let work = tempfile::tempdir().expect("tempdir");
    let made = work.path().join("acme");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-history.sh");
    let status = Command::new("bash")
        .arg(script)
        .arg(&made)
        .output()
        .expect("bash runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let external = |dir: &Path| {
        let out = crate::roadlog_in(
            dir,
            &[
                "publish",
                "--external",
                "--today",
                "2026-11-24",
                "--out",
                "site",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::read_to_string(dir.join("site/index.html")).expect("read")
    };
    let html = external(&made);
    let body = &html[html.find("<body>").expect("a body")..];
    for internal in [
        "revision",
        "trials",
        "no-forecast",
        "data-verdict",
        "getElementById(\"expand\")",
    ] {
        assert!(
            !body.contains(internal),
            "`{internal}` on the customers' page"
        );
    }
    assert!(
        body.contains("span h-plain"),
        "timeline spans without a verdict"
    );
    assert!(!body.contains("span h-at-risk") && !body.contains("span h-overdue"));
    // The PM page keeps its tree controls, and the revision stays on the internal pages.
    let inside = crate::roadlog_in(&made, &["publish", "--today", "2026-11-24", "--out", "in"]);
    assert_eq!(inside.code, 0, "{}", inside.stderr);
    let pm = std::fs::read_to_string(made.join("in/pm.html")).expect("read");
    let index = std::fs::read_to_string(made.join("in/index.html")).expect("read");
    assert!(
        index.contains("trials"),
        "the internal page has the forecast the external one words plainly"
    );
    assert!(pm.contains("getElementById(\"expand\")") && pm.contains("revision"));
    // Asked for in roadlog.yaml, the verdicts come back.
    let config = made.join("roadlog.yaml");
    let text = std::fs::read_to_string(&config).expect("read");
    std::fs::write(
        &config,
        format!("{text}publish:\n  external_health: true\n"),
    )
    .expect("write");
    let shown = external(&made);
    assert!(!shown.contains("span h-plain"), "verdicts when configured");
}

#[test]
fn hostile_text_renders_as_text() {
    let (dir, run) = publish(&fixture("hostile-markdown"), TODAY, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(browser) = Browser::find("publish::hostile_text_renders_as_text") else {
        return;
    };
    // Each page shows a hostile title of its own: the theme's on the roadmap, the items' on
    // the others.
    for (name, shown) in [
        ("index.html", "&lt;img src=x onerror=alert(1)&gt;"),
        ("pm.html", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("team.html", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ] {
        let dom = browser.dom(&dir.path().join("site").join(name));
        assert_eq!(
            count(&dom, "<script"),
            1,
            "{name}: only roadlog's own script"
        );
        assert!(!dom.contains("<img"), "{name}: no image from a title");
        assert!(
            !dom.contains("<i>") && !dom.contains("<b>"),
            "{name}: no markup from text"
        );
        assert!(dom.contains(shown), "{name}: shown as text");
    }
}

#[test]
fn the_same_plan_and_date_give_the_same_bytes() {
    let (a, _) = publish(&acme(), "2026-11-24", &[]);
    let (b, _) = publish(&acme(), "2026-11-24", &[]);
    assert_eq!(
        crate::snapshot(&a.path().join("site")),
        crate::snapshot(&b.path().join("site"))
    );
}

#[test]
fn publish_never_writes_into_the_plans_folders() {
    let dir = crate::real_plans::plan_with(&[("backlog/A-1.yaml", "title: A\nstatus: todo\n")]);
    let before = crate::snapshot(dir.path());
    for out in ["backlog", "backlog/site", "roadmap/x/../y"] {
        let run = crate::roadlog_in(dir.path(), &["publish", "--out", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stdout);
        assert!(run.stderr.contains("inside the plan's"), "{}", run.stderr);
        assert_eq!(crate::snapshot(dir.path()), before, "{out}");
    }
    let run = crate::roadlog_in(dir.path(), &["publish", "--rev", "HEAD"]);
    assert_eq!(run.code, 2, "outside git, --rev cannot be read");
}

/// The root element's opening tag, where the page's script writes what it found.
fn root_tag(dom: &str) -> &str {
    dom.split("<html")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or("")
}

#[test]
fn pages_read_on_a_phone_and_on_a_desktop_with_long_words_and_twenty_quarters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan");
    let long = "Averyveryverylongunbrokenwordthatwouldspilloutofanycardaveryveryverylongword";
    let files = [
        (
            "roadlog.yaml",
            "sprints:\n  - { id: S1, start: 2026-11-23, end: 2026-12-06 }\n".to_string(),
        ),
        (
            "roadmap/t.yaml",
            format!(
                "title: {long}\nobjective: https://example.com/a/very/long/unbroken/url/that/goes/on/and/on/forever\n\
                 status: active\nhorizon: 2022-Q1..2026-Q4\nreviewed: 2026-11-20\n\
                 metrics:\n  - {{ name: {long}, baseline: '1234567890123456789', target: '98765432109876543210' }}\n"
            ),
        ),
        (
            "backlog/A-1.yaml",
            format!(
                "title: {long}\nstatus: todo\ntheme: t\nsprint: S1\nassignee: someone-{long}\n"
            ),
        ),
    ];
    for (rel, text) in &files {
        let path = plan.join(rel);
        std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let (site, run) = publish(&plan, "2026-12-01", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let Some(browser) = Browser::find("publish::pages_read_on_a_phone_and_on_a_desktop") else {
        return;
    };
    for width in [1280, 390] {
        for page in ["index.html", "pm.html", "team.html"] {
            let dom = browser.dom_wide(&site.path().join("site").join(page), "", width);
            let root = root_tag(&dom);
            assert!(
                !root.contains("data-spill"),
                "{page} at {width} px: <html{root}>"
            );
            assert!(
                !root.contains("data-overlap"),
                "{page} at {width} px: <html{root}>"
            );
        }
    }
    // Twenty quarters are labelled by year: five labels, none cut at the edge.
    let index = std::fs::read_to_string(site.path().join("site/index.html")).expect("index");
    let labels: Vec<&str> = index
        .split("<text class=\"period\"")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split('<').next())
        .collect();
    assert_eq!(labels, ["2022", "2023", "2024", "2025", "2026"]);
}

#[test]
fn publish_watch_writes_the_pages_again_when_a_plan_file_changes() {
    let plan = crate::acme_copy();
    let site = plan.path().join("site");
    let mut child = crate::roadlog_std()
        .current_dir(plan.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            plan.path().parent().expect("parent"),
        )
        .args(["publish", "--watch", "--today", "2026-11-24"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let index = site.join("index.html");
    while !index.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let theme = std::fs::read_dir(plan.path().join("roadmap"))
        .expect("roadmap")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "yaml"))
        .expect("a theme");
    let text = std::fs::read_to_string(&theme).expect("read");
    let title = text
        .lines()
        .find(|l| l.starts_with("title: "))
        .expect("a title")
        .to_string();
    // Saved again until the watcher (started once the first pages are written) sees a save.
    let mut seen = false;
    for n in 0.. {
        if std::time::Instant::now() > deadline {
            break;
        }
        let wanted = format!("Retitled while watched {n}");
        std::fs::write(&theme, text.replace(&title, &format!("title: {wanted}"))).expect("write");
        std::thread::sleep(std::time::Duration::from_millis(1500));
        if std::fs::read_to_string(&index).is_ok_and(|h| h.contains(&wanted)) {
            seen = true;
            break;
        }
    }
    let still_running = child.try_wait().expect("status").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "index.html was written again after the theme changed");
    assert!(still_running, "--watch keeps running");
}
