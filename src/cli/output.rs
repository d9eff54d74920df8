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
//!
//! A target that is a mount point (a bind mount, a tmpfs, a container's volume) or on
//! another filesystem than its parent cannot be renamed. Its files are replaced one by
//! one instead ([`write_in_place`]): written and synced into a staging directory inside
//! it (`.nines-PID.new`), then each renamed into place, atomic per file but not for the
//! set, and the files of the previous set that the new one lacks removed. Every file is
//! always whole; a failure in the middle of the renames leaves part of each set, and
//! says so.

use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The marker between a target's name and a run's process id in a sibling's name.
const MARK: &str = ".nines-";

/// Writes `files` (name, content) as the whole content of `dir`, replacing what it
/// held as one set. The error names the file or directory at fault and says that the
/// previous set is untouched.
pub(crate) fn write_set(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), String> {
    write_set_with(dir, files, replace)
}

/// [`write_set`], with `swap` putting the staging directory in the place of an
/// existing target (given, so that a test can make it fail as on a mount point).
fn write_set_with(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    swap: impl Fn(&Path, &Path, &Path, &str) -> std::io::Result<()>,
) -> Result<(), String> {
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
    if dir.is_dir() && on_its_own_filesystem(dir, &parent) {
        // Renaming it would fail: nothing is staged beside it (where the parent may
        // not even be writable, as in a container).
        return write_in_place(dir, files, |from, to| fs::rename(from, to));
    }
    fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    clean_up_stale(&parent, &name, dir);
    if dir.is_dir() {
        check_only_ours(dir, false)?;
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
        swap(&staging, dir, &parent, &name)
    } else {
        fs::rename(&staging, dir)
    };
    if let Err(e) = swapped {
        let _ = fs::remove_dir_all(&staging);
        if dir.is_dir() && is_mount_error(&e) {
            // A mount point the check above cannot see (a bind mount of a directory
            // of the same filesystem): the previous set is untouched, replace it file
            // by file.
            return write_in_place(dir, files, |from, to| fs::rename(from, to));
        }
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

/// Whether `dir` (not following a symbolic link, as a rename would not) is the root of
/// another filesystem than `parent`'s: a mount point, which cannot be renamed.
#[cfg(unix)]
fn on_its_own_filesystem(dir: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (fs::symlink_metadata(dir), fs::metadata(parent)) {
        (Ok(dir), Ok(parent)) => dir.dev() != parent.dev(),
        _ => false,
    }
}

/// Not known here: a failed swap tells ([`is_mount_error`]).
#[cfg(not(unix))]
fn on_its_own_filesystem(_: &Path, _: &Path) -> bool {
    false
}

/// Whether a rename failed because the directory is a mount point (`EBUSY`) or the
/// two paths are on different mounts (`EXDEV`).
fn is_mount_error(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::ResourceBusy | ErrorKind::CrossesDevices)
}

/// Writes `files` as the whole content of `dir` when `dir` cannot be replaced as a
/// whole (it is a mount point): stages and syncs them in `dir/.nines-PID.new`, `put`s
/// each in place (a rename: atomic per file), then removes the files of the previous
/// set the new one lacks, as replacing the directory would. The errors name the path
/// and say what `dir` holds after them.
fn write_in_place(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    put: impl Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<(), String> {
    let shown = dir.display();
    let untouched = format!("the previous files in {shown} are untouched");
    clean_up_stale_inside(dir);
    check_only_ours(dir, true)?;
    let staging = dir.join(format!("{MARK}{}.new", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir(&staging).map_err(|e| format!("cannot create {}: {e}; {untouched}", staging.display()))?;
    let staged = stage(&staging, files).and_then(|()| sync_dir(&staging).map_err(|e| (None, e)));
    if let Err((file, e)) = staged {
        let _ = fs::remove_dir_all(&staging);
        let at = file.map_or_else(|| dir.to_path_buf(), |f| dir.join(f));
        return Err(format!("cannot write {}: {e}; {untouched}", at.display()));
    }
    let one_by_one = format!(
        "{shown} is a mount point, so its files are replaced one by one (every file is whole): \
         run again, or give --out a directory inside it (e.g. --out {}) to replace the set as a whole",
        dir.join("report").display()
    );
    for (done, (name, _)) in files.iter().enumerate() {
        if let Err(e) = put(&staging.join(name), &dir.join(name)) {
            let _ = fs::remove_dir_all(&staging);
            return Err(format!(
                "cannot put {} in place: {e}; {shown} holds {done} of the {} new files and the rest of the \
                 previous ones; {one_by_one}",
                dir.join(name).display(),
                files.len(),
            ));
        }
    }
    let _ = fs::remove_dir(&staging);
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {shown}: {e}; {one_by_one}"))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && is_ours(&name) && !files.iter().any(|(n, _)| *n == name) {
            fs::remove_file(entry.path()).map_err(|e| {
                format!(
                    "cannot remove {}, which the new set does not have: {e}; the new files are in place; \
                     {one_by_one}",
                    entry.path().display()
                )
            })?;
        }
    }
    let _ = sync_dir(dir);
    Ok(())
}

/// Whether `name` is that of a staging directory inside a target
/// ([`write_in_place`]), and if so the process id of the run that made it.
fn inner_staging_pid(name: &str) -> Option<u32> {
    name.strip_prefix(MARK)?.strip_suffix(".new")?.parse().ok()
}

/// Removes the staging directories that killed runs left inside `dir`.
fn clean_up_stale_inside(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = inner_staging_pid(&name)
            && (pid == std::process::id() || !alive(pid))
        {
            let _ = fs::remove_dir_all(entry.path());
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

/// An error unless `dir` holds only files nines writes (and the staging directories of
/// [`write_in_place`]; and, if `dir` is a mount point, the `lost+found` of its
/// filesystem, which the files are written beside).
fn check_only_ours(dir: &Path, mount_point: bool) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let staging = is_dir && inner_staging_pid(&name).is_some();
        let lost_and_found = mount_point && is_dir && name == "lost+found";
        if !(is_file && is_ours(&name) || staging || lost_and_found) {
            let instead = if mount_point {
                format!(
                    " (as {} is a mount point, a directory inside it will do, e.g. --out {})",
                    dir.display(),
                    dir.join("report").display()
                )
            } else {
                String::new()
            };
            return Err(format!(
                "{} holds {name}, which nines did not write: --out replaces the whole directory, so give it a \
                 new or empty directory, or one that only nines wrote into{instead}; nothing was changed",
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

    /// A swap that fails as it does when the target is a mount point.
    fn busy(_: &Path, _: &Path, _: &Path, _: &str) -> std::io::Result<()> {
        Err(std::io::Error::from(ErrorKind::ResourceBusy))
    }

    #[test]
    fn a_mount_point_gets_the_new_set_file_by_file() {
        let parent = scratch("mount");
        let out = parent.join("out");
        write_set(&out, &files("first")).expect("written");
        fs::write(out.join(".report.txt.123.tmp"), "half").expect("write");
        // The filesystem's own directory, on a volume, is left where it is.
        fs::create_dir(out.join("lost+found")).expect("dir");
        let mut second = files("second");
        second.pop();
        write_in_place(&out, &second, |from, to| fs::rename(from, to)).expect("written");
        assert_eq!(
            siblings(&out),
            ["lost+found", "report.json", "report.txt"],
            "exactly the new set: the previous set's other files and the staging directory are gone"
        );
        fs::remove_dir(out.join("lost+found")).expect("empty");
        assert_eq!(
            contents(&out),
            [
                ("report.json".to_owned(), "second report.json".to_owned()),
                ("report.txt".to_owned(), "second report.txt".to_owned())
            ]
        );
        assert_eq!(siblings(&parent), ["out"]);
        let _ = fs::remove_dir_all(&parent);
    }

    #[test]
    fn a_swap_refused_as_on_a_mount_point_falls_back_to_file_by_file() {
        let parent = scratch("busy");
        let out = parent.join("out");
        write_set(&out, &files("first")).expect("written");
        let mut second = files("second");
        second.remove(0);
        write_set_with(&out, &second, busy).expect("written in place");
        assert_eq!(
            contents(&out),
            [
                ("a.svg".to_owned(), "second a.svg".to_owned()),
                ("report.json".to_owned(), "second report.json".to_owned())
            ]
        );
        assert_eq!(siblings(&parent), ["out"], "the staging directory beside it is removed");
        // Any other failure of the swap is an error, as before, and changes nothing.
        let before = contents(&out);
        let err = write_set_with(&out, &files("third"), |_, _, _, _| {
            Err(std::io::Error::from(ErrorKind::PermissionDenied))
        })
        .unwrap_err();
        assert!(
            err.starts_with(&format!("cannot put the new files in place of {}", out.display())),
            "{err}"
        );
        assert_eq!(contents(&out), before);
        assert_eq!(siblings(&parent), ["out"]);
        let _ = fs::remove_dir_all(&parent);
    }

    #[test]
    fn a_failure_in_place_leaves_every_file_whole() {
        let parent = scratch("mount-fail");
        let out = parent.join("out");
        write_set(&out, &files("first")).expect("written");
        let before = contents(&out);
        // A killed run's staging directory inside is removed.
        let dead = u32::MAX - 7;
        fs::create_dir(out.join(format!(".nines-{dead}.new"))).expect("dir");
        fs::write(out.join(format!(".nines-{dead}.new/report.txt")), "half").expect("write");

        // A file that cannot be written: nothing is put in place.
        let mut broken = files("second");
        broken.insert(1, ("no-such-dir/report.md".to_owned(), b"x".to_vec()));
        let err = write_in_place(&out, &broken, |from, to| fs::rename(from, to)).unwrap_err();
        assert_eq!(
            err,
            format!(
                "cannot write {}: No such file or directory (os error 2); the previous files in {} are untouched",
                out.join("no-such-dir/report.md").display(),
                out.display()
            )
        );
        assert_eq!(
            contents(&out),
            before,
            "the previous set, whole, and no staging directory"
        );

        // A rename that fails in the middle: the files before it are new, the others
        // previous, each whole; the error says so and how to have the set whole.
        let err = write_in_place(&out, &files("second"), |from, to| {
            if to.ends_with("report.json") {
                Err(std::io::Error::from(ErrorKind::StorageFull))
            } else {
                fs::rename(from, to)
            }
        })
        .unwrap_err();
        assert!(
            err.starts_with(&format!(
                "cannot put {} in place: no storage space; {} holds 1 of the 3 new files and the rest of the previous ones; {} is a mount point",
                out.join("report.json").display(),
                out.display(),
                out.display()
            )),
            "{err}"
        );
        assert!(
            err.ends_with(&format!(
                "e.g. --out {}) to replace the set as a whole",
                out.join("report").display()
            )),
            "{err}"
        );
        assert_eq!(
            contents(&out),
            [
                ("a.svg".to_owned(), "first a.svg".to_owned()),
                ("report.json".to_owned(), "first report.json".to_owned()),
                ("report.txt".to_owned(), "second report.txt".to_owned())
            ]
        );
        // Running again puts the whole set in place.
        write_in_place(&out, &files("second"), |from, to| fs::rename(from, to)).expect("written");
        assert_eq!(
            contents(&out).iter().filter(|(_, c)| c.starts_with("second")).count(),
            3
        );
        assert_eq!(siblings(&out), ["a.svg", "report.json", "report.txt"]);
        let _ = fs::remove_dir_all(&parent);
    }

    #[test]
    fn a_mount_point_with_other_files_is_left_alone() {
        let parent = scratch("mount-foreign");
        let out = parent.join("out");
        fs::create_dir_all(&out).expect("dir");
        fs::write(out.join("notes.docx"), "mine").expect("write");
        let err = write_in_place(&out, &files("new"), |from, to| fs::rename(from, to)).unwrap_err();
        assert!(
            err.contains(&format!(
                "holds notes.docx, which nines did not write: --out replaces the whole directory, so give it a new or \
                 empty directory, or one that only nines wrote into (as {} is a mount point, a directory inside it \
                 will do, e.g. --out {}); nothing was changed",
                out.display(),
                out.join("report").display()
            )),
            "{err}"
        );
        assert_eq!(siblings(&out), ["notes.docx"]);
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
