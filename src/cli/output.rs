//! The files of one `--out` as a set: all of them or none replace the previous set.
//!
//! The files are written and synced into a staging directory beside the target
//! (`.NAME.nines-PID.new`), which then takes the target's place in one atomic step:
//! `renameat2(RENAME_EXCHANGE)` on Linux, so that at every instant the target holds
//! either the whole previous set or the whole new one. Where that is not available, the
//! target is first renamed aside (`.NAME.nines-PID.old`) and the staging directory
//! renamed into place; for the instant between the two, the previous set stays
//! recoverable beside it, and the next run puts it back. A run that is killed leaves
//! at most such a sibling behind, and the next run removes it (or, for an `.old` with no
//! target, restores it).
//!
//! Replacing the directory as a whole would delete files that nines did not write, so
//! an existing target must hold only files nines writes.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The marker between a target's name and a run's process id in a sibling's name.
const MARK: &str = ".nines-";

/// Writes `files` (name, content) as the whole content of `dir`, replacing what it
/// held as one set. The error names the file or directory at fault and says that the
/// previous set is untouched.
pub(crate) fn write_set(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    let shown = dir.display();
    let name = match dir.file_name() {
        Some(name) => name.to_string_lossy().into_owned(),
        None => {
            return Err(format!(
                "cannot create {shown}: --out must name a directory, e.g. --out reports"
            ));
        }
    };
    if dir.exists() && !dir.is_dir() {
        return Err(format!("cannot create {shown}: it exists and is not a directory"));
    }
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    clean_up_stale(&parent, &name, dir);
    if dir.is_dir() {
        check_only_ours(dir)?;
    }
    let staging = parent.join(format!(".{name}{MARK}{}.new", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir(&staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let untouched = if dir.exists() {
        format!("the previous files in {shown} are untouched")
    } else {
        format!("{shown} was not created")
    };
    let staged = stage(&staging, files).and_then(|()| sync_dir(&staging).map_err(|e| (None, e)));
    if let Err((file, e)) = staged {
        let _ = fs::remove_dir_all(&staging);
        let at = file.map_or_else(|| dir.to_path_buf(), |f| dir.join(f));
        return Err(format!("cannot write {}: {e}; {untouched}", at.display()));
    }
    let swapped = if dir.exists() {
        replace(&staging, dir, &parent, &name)
    } else {
        fs::rename(&staging, dir)
    };
    if let Err(e) = swapped {
        let _ = fs::remove_dir_all(&staging);
        return Err(format!(
            "cannot put the new files in place of {shown}: {e}; {untouched}"
        ));
    }
    let _ = sync_dir(&parent);
    Ok(())
}

/// Writes and syncs every file into `staging`; the error names the file.
fn stage(staging: &Path, files: &[(String, Vec<u8>)]) -> Result<(), (Option<String>, std::io::Error)> {
    for (name, content) in files {
        File::create(staging.join(name))
            .and_then(|mut file| {
                file.write_all(content)?;
                file.sync_all()
            })
            .map_err(|e| (Some(name.clone()), e))?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Puts `staging` in the place of the existing `dir`, and removes the previous set.
fn replace(staging: &Path, dir: &Path, parent: &Path, name: &str) -> std::io::Result<()> {
    match exchange(staging, dir) {
        Ok(()) => {
            // `staging` now holds the previous set.
            let _ = fs::remove_dir_all(staging);
            Ok(())
        }
        Err(_) => {
            let aside = parent.join(format!(".{name}{MARK}{}.old", std::process::id()));
            let _ = fs::remove_dir_all(&aside);
            fs::rename(dir, &aside)?;
            if let Err(e) = fs::rename(staging, dir) {
                let _ = fs::rename(&aside, dir);
                return Err(e);
            }
            let _ = fs::remove_dir_all(&aside);
            Ok(())
        }
    }
}

/// Swaps two directories atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt as _;
    let c =
        |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(|_| std::io::Error::from(ErrorKind::InvalidInput));
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call; the
    // syscall reads them and touches no other memory of ours.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// No atomic exchange here: [`replace`] falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(ErrorKind::Unsupported))
}

/// Whether the process `pid` is running (on Linux; elsewhere it is taken as gone).
fn alive(pid: u32) -> bool {
    pid == std::process::id() || (cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists())
}

/// Removes what killed runs left beside `dir`: staging directories (`.new`), and
/// previous sets set aside (`.old`), which are put back if `dir` is missing.
fn clean_up_stale(parent: &Path, name: &str, dir: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}{MARK}");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let Some((pid, kind)) = rest.split_once('.') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if alive(pid) && pid != std::process::id() {
            continue;
        }
        let path = entry.path();
        match kind {
            "old" if !dir.exists() => {
                let _ = fs::rename(&path, dir);
            }
            "old" | "new" => {
                let _ = fs::remove_dir_all(&path);
            }
            _ => {}
        }
    }
}

/// Whether nines writes files of this name into `--out`: its reports, its charts, and
/// the temporary files of earlier versions.
fn is_ours(name: &str) -> bool {
    let report = ["report.txt", "report.json", "report.csv", "report.md", "report.html"].contains(&name);
    let chart = name.ends_with(".svg") || name.ends_with(".png");
    let temporary = name.starts_with('.') && name.ends_with(".tmp");
    report || chart || temporary
}

/// An error unless `dir` holds only files nines writes.
fn check_only_ours(dir: &Path) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !(is_file && is_ours(&name)) {
            return Err(format!(
                "{} holds {name}, which nines did not write: --out replaces the whole directory, so give it a \
                 new or empty directory, or one that only nines wrote into; nothing was changed",
                dir.display()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("nines-set-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("scratch directory");
        dir
    }

    fn files(text: &str) -> Vec<(String, Vec<u8>)> {
        ["report.txt", "report.json", "a.svg"]
            .iter()
            .map(|name| ((*name).to_owned(), format!("{text} {name}").into_bytes()))
            .collect()
    }

    fn contents(dir: &Path) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = fs::read_dir(dir)
            .expect("readable")
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read_to_string(e.path()).expect("text"),
                )
            })
            .collect();
        all.sort();
        all
    }

    fn siblings(parent: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(parent)
            .expect("readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_set_replaces_the_old_one_whole() {
        let parent = scratch("replace");
        let out = parent.join("out");
        write_set(&out, &files("first")).expect("written");
        // A temporary file of an older version is part of the old set, and goes with it.
        fs::write(out.join(".report.txt.123.tmp"), "half").expect("write");
        let mut second = files("second");
        second.pop();
        write_set(&out, &second).expect("written");
        assert_eq!(
            contents(&out),
            [
                ("report.json".to_owned(), "second report.json".to_owned()),
                ("report.txt".to_owned(), "second report.txt".to_owned())
            ]
        );
        assert_eq!(siblings(&parent), ["out"], "no staging or old directory left");
        let _ = fs::remove_dir_all(&parent);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_set_and_names_the_file() {
        let parent = scratch("fail");
        let out = parent.join("out");
        write_set(&out, &files("first")).expect("written");
        let before = contents(&out);
        // A file that cannot be created stands for a full disk in the middle of the set.
        let mut broken = files("second");
        broken.insert(1, ("no-such-dir/report.md".to_owned(), b"x".to_vec()));
        let err = write_set(&out, &broken).unwrap_err();
        assert!(
            err.starts_with(&format!("cannot write {}", out.join("no-such-dir/report.md").display())),
            "{err}"
        );
        assert!(
            err.ends_with(&format!("the previous files in {} are untouched", out.display())),
            "{err}"
        );
        assert_eq!(contents(&out), before, "the previous set, whole");
        assert_eq!(siblings(&parent), ["out"], "the staging directory is removed");
        let _ = fs::remove_dir_all(&parent);
    }

    #[test]
    fn what_killed_runs_left_is_cleaned_up_or_restored() {
        let parent = scratch("stale");
        let out = parent.join("out");
        // A dead process's staging directory, and a previous set it had set aside
        // before it was killed (so `out` is missing).
        let dead = u32::MAX - 7;
        let staging = parent.join(format!(".out.nines-{dead}.new"));
        let aside = parent.join(format!(".out.nines-{dead}.old"));
        fs::create_dir_all(&staging).expect("staging");
        fs::write(staging.join("report.txt"), "half").expect("write");
        fs::create_dir_all(&aside).expect("aside");
        for (name, content) in files("previous") {
            fs::write(aside.join(name), content).expect("write");
        }
        clean_up_stale(&parent, "out", &out);
        assert_eq!(siblings(&parent), ["out"]);
        assert_eq!(contents(&out).len(), 3, "the previous set is back");
        let _ = fs::remove_dir_all(&parent);
    }

    #[test]
    fn a_directory_with_other_files_is_left_alone() {
        let parent = scratch("foreign");
        let out = parent.join("out");
        fs::create_dir_all(&out).expect("dir");
        fs::write(out.join("notes.docx"), "mine").expect("write");
        let err = write_set(&out, &files("new")).unwrap_err();
        assert!(err.contains("holds notes.docx, which nines did not write"), "{err}");
        assert_eq!(contents(&out), [("notes.docx".to_owned(), "mine".to_owned())]);
        assert_eq!(siblings(&parent), ["out"]);
        let _ = fs::remove_dir_all(&parent);
    }
}
