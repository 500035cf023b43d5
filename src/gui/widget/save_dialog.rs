//! The in-app file dialog: used when the system's file dialog cannot open (no
//! desktop portal, no GTK, a headless session), to save a file (a folder browser and
//! a file name) or to open one (a folder browser and the folder's files of the kind
//! asked for, or the folder itself), in Vietnamese.

use std::path::{Path, PathBuf};

use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Length};

use crate::gui::job::{FileAsk, Job};
use crate::gui::{font, theme};

/// The dialog's state: the job waiting for its destination or source.
#[derive(Debug, Clone)]
pub struct SaveDialog {
    job: Job,
    ask: FileAsk,
    folder: PathBuf,
    folder_text: String,
    name: String,
    folders: Vec<String>,
    /// The folder's files of the kind asked for (to open, or that a save may replace).
    files: Vec<String>,
    /// The folder's other files (a save lists them, greyed: they are not replaced).
    others: Vec<String>,
    overwrite: bool,
    error: Option<String>,
}

/// Messages of the dialog.
#[derive(Debug, Clone)]
pub enum Message {
    /// The folder path was typed.
    Folder(String),
    /// Open a sub-folder.
    Into(String),
    /// One level up.
    Up,
    /// The file name was typed.
    Name(String),
    /// A file of the list was clicked (open a file).
    Pick(String),
    /// Save there, or open the file (or folder) chosen.
    Save,
    /// The answer to "the file exists": replace it.
    Overwrite,
    /// Close without saving.
    Cancel,
}

/// What the dialog asks after a message.
#[derive(Debug)]
pub enum Outcome {
    /// Keep it open.
    Open,
    /// The user cancelled.
    Cancelled,
    /// Run the job, now with its destination.
    Run(Job),
}

/// The folder the dialog opens in: the user's Documents folder, else their home,
/// else the current directory.
fn start_folder() -> PathBuf {
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).map(PathBuf::from);
    let documents = home.as_ref().map(|h| h.join("Documents")).filter(|d| d.is_dir());
    documents.or(home.filter(|h| h.is_dir())).or_else(|| std::env::current_dir().ok()).unwrap_or_else(|| ".".into())
}

/// What a folder holds: sub-folders, files of the kind asked for, other files.
type Entries = (Vec<String>, Vec<String>, Vec<String>);

/// The visible sub-folders of `folder`, its visible files ending in `.extension`
/// (any file for an empty extension) and its other files, each sorted in
/// Vietnamese order (`Đ` after `D`, tones after the bare letter); hidden ones are
/// left out.
fn folder_entries(folder: &Path, extension: &str) -> Result<Entries, String> {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("Không đọc được thư mục {}: {e}", folder.display()))?;
    let (mut folders, mut files, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            folders.push(name);
        } else if extension.is_empty()
            || path.extension().is_some_and(|e| extension.split(',').any(|x| e.eq_ignore_ascii_case(x)))
        {
            files.push(name);
        } else {
            others.push(name);
        }
    }
    for list in [&mut folders, &mut files, &mut others] {
        crate::gui::wording::sort_vietnamese(list, |n| n.as_str());
    }
    Ok((folders, files, others))
}

impl SaveDialog {
    /// A dialog for `job`, suggesting the file name `name` (empty to open a file).
    pub fn new(job: Job, name: String) -> Self {
        let ask = job.file_ask();
        let mut dialog = SaveDialog {
            job,
            ask,
            folder: PathBuf::new(),
            folder_text: String::new(),
            name,
            folders: Vec::new(),
            files: Vec::new(),
            others: Vec::new(),
            overwrite: false,
            error: None,
        };
        dialog.go_to(crate::gui::file_names::last_folder().unwrap_or_else(start_folder));
        dialog
    }

    /// The folder shown and the file name suggested (tests).
    #[cfg(test)]
    pub fn shown(&self) -> (&Path, &str) {
        (&self.folder, &self.name)
    }

    /// The extension of the files to save or to list.
    fn extension(&self) -> &'static str {
        match self.ask {
            FileAsk::Save { extension, .. } | FileAsk::OpenFile { extension, .. } => extension,
            FileAsk::OpenFolder { .. } => "",
        }
    }

    fn go_to(&mut self, folder: PathBuf) {
        self.overwrite = false;
        self.folder_text = folder.display().to_string();
        if matches!(self.ask, FileAsk::OpenFile { .. }) {
            self.name.clear();
        }
        match folder_entries(&folder, self.extension()) {
            Ok((folders, files, others)) => {
                self.folders = folders;
                self.files = files;
                self.others = others;
                self.folder = folder;
                self.error = None;
            }
            Err(e) => {
                self.folders.clear();
                self.files.clear();
                self.others.clear();
                self.folder = folder;
                self.error = Some(e);
            }
        }
    }

    /// The file the dialog would write now, or why not.
    fn destination(&self) -> Result<PathBuf, String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("Hãy nhập tên tệp.".into());
        }
        if name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err("Tên tệp không được chứa dấu / hoặc \\; chọn thư mục ở trên.".into());
        }
        if !self.folder.is_dir() {
            return Err(format!("Không có thư mục {}.", self.folder.display()));
        }
        let extension = self.extension();
        let mut file = self.folder.join(name);
        if !extension.is_empty() && file.extension().is_none_or(|e| !e.eq_ignore_ascii_case(extension)) {
            file = self.folder.join(format!("{name}.{extension}"));
        }
        Ok(file)
    }

    /// The file or folder the dialog would open now, or why not.
    fn source(&self) -> Result<PathBuf, String> {
        if !self.folder.is_dir() {
            return Err(format!("Không có thư mục {}.", self.folder.display()));
        }
        if matches!(self.ask, FileAsk::OpenFolder { .. }) {
            return Ok(self.folder.clone());
        }
        let name = self.name.trim();
        if name.is_empty() {
            return Err("Hãy chọn một tệp trong danh sách.".into());
        }
        if name.contains(['/', '\\']) || name == "." || name == ".." {
            return Err("Tên tệp không được chứa dấu / hoặc \\; chọn thư mục ở trên.".into());
        }
        let file = self.folder.join(name);
        if !file.is_file() {
            return Err(format!("Không có tệp {}.", file.display()));
        }
        Ok(file)
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Outcome {
        match message {
            Message::Folder(typed) => {
                self.folder_text = typed.clone();
                let path = PathBuf::from(typed.trim());
                if path.is_dir() {
                    let shown = self.folder_text.clone();
                    self.go_to(path);
                    self.folder_text = shown;
                } else {
                    self.folder = path;
                    self.folders.clear();
                }
            }
            Message::Into(name) => self.go_to(self.folder.join(name)),
            Message::Up => {
                if let Some(parent) = self.folder.parent().map(Path::to_path_buf) {
                    self.go_to(parent);
                }
            }
            Message::Name(name) | Message::Pick(name) => {
                self.name = vanthu_core::text::nfc(&name);
                self.overwrite = false;
                self.error = None;
            }
            Message::Cancel => return Outcome::Cancelled,
            Message::Save if !matches!(self.ask, FileAsk::Save { .. }) => match self.source() {
                Err(e) => self.error = Some(e),
                Ok(path) => return Outcome::Run(self.job.clone().with_destination(path)),
            },
            Message::Save | Message::Overwrite => match self.destination() {
                Err(e) => self.error = Some(e),
                // Only the question's own button replaces a file: a second click on
                // Lưu (a double click) asks again.
                Ok(file) if file.exists() && !(self.overwrite && matches!(message, Message::Overwrite)) => {
                    self.overwrite = true;
                    self.error = None;
                }
                Ok(file) => {
                    // Offered again by the next save of this session.
                    crate::gui::file_names::remember_folder_of(&file);
                    return Outcome::Run(self.job.clone().with_destination(file));
                }
            },
        }
        Outcome::Open
    }

    /// Draws the dialog (the caller puts it over the page).
    pub fn view(&self) -> Element<'_, Message> {
        let mut list = column![].spacing(2);
        if self.folder.parent().is_some() {
            list = list.push(button(text(".. (lên một cấp)")).on_press(Message::Up).style(button::text));
        }
        for name in &self.folders {
            list = list.push(
                button(text(format!("{name}/")))
                    .on_press(Message::Into(name.clone()))
                    .style(button::text)
                    .width(Length::Fill),
            );
        }
        let opens_file = matches!(self.ask, FileAsk::OpenFile { .. });
        let saves = matches!(self.ask, FileAsk::Save { .. });
        if opens_file || saves {
            // Saving, a click on a file takes its name (and asks before replacing it).
            for name in &self.files {
                let chosen = self.name == *name;
                list = list.push(
                    button(text(name.as_str()).font(if chosen { font::BOLD } else { font::UI }))
                        .on_press(Message::Pick(name.clone()))
                        .style(if chosen { button::primary } else { button::text })
                        .width(Length::Fill),
                );
            }
        }
        if saves {
            for name in &self.others {
                list = list.push(container(text(name.as_str()).color(theme::MUTED)).padding([5, 10]));
            }
        }
        if self.folders.is_empty() && self.files.is_empty() && (!saves || self.others.is_empty()) {
            let empty = if opens_file {
                "(không có thư mục con hay tệp phù hợp)"
            } else if saves {
                "(thư mục trống)"
            } else {
                "(không có thư mục con)"
            };
            list = list.push(text(empty).color(theme::MUTED));
        }
        let (title, intro, action) = match self.ask {
            FileAsk::Save { title, .. } => {
                (title, "Không mở được hộp thoại chọn tệp của hệ thống; chọn nơi lưu tại đây.", "Lưu")
            }
            FileAsk::OpenFile { title, .. } => {
                (title, "Không mở được hộp thoại chọn tệp của hệ thống; chọn tệp tại đây.", "Mở")
            }
            FileAsk::OpenFolder { title } => {
                (title, "Không mở được hộp thoại chọn thư mục của hệ thống; chọn thư mục tại đây.", "Chọn thư mục này")
            }
        };
        let mut dialog = column![
            text(title).size(theme::HEADING).font(font::BOLD),
            text(intro).color(theme::MUTED),
            text("Thư mục").size(13),
            text_input("", &self.folder_text)
                .id(iced::widget::Id::new("save-folder"))
                .on_input(Message::Folder)
                .padding(6),
            container(scrollable(list).height(Length::Fixed(220.0)))
                .padding(4)
                .width(Length::Fill)
                .style(container::bordered_box),
        ]
        .spacing(6);
        if !matches!(self.ask, FileAsk::OpenFolder { .. }) {
            dialog = dialog.push(text(if opens_file { "Tệp đã chọn" } else { "Tên tệp" }).size(13)).push(
                text_input("", &self.name)
                    .id(iced::widget::Id::new("save-name"))
                    .on_input(Message::Name)
                    .on_submit(Message::Save)
                    .padding(6),
            );
        }
        // The error's room is kept: the buttons below never move. The question before
        // replacing a file takes the same room, its button on the left, away from Lưu.
        match self.destination().ok().filter(|f| self.overwrite && f.exists()) {
            Some(file) => {
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                dialog = dialog.push(
                    row![
                        button(text("Ghi đè tệp này")).on_press(Message::Overwrite).style(button::danger),
                        text(format!("Đã có tệp {name} trong thư mục này. Ghi đè lên tệp cũ?"))
                            .color(theme::WARNING)
                            .width(Length::Fill),
                    ]
                    .spacing(10)
                    .height(Length::Fixed(44.0))
                    .align_y(iced::Alignment::Center),
                );
            }
            None => dialog = dialog.push(crate::gui::widget::slot::error(self.error.as_deref())),
        }
        dialog = dialog.push(
            row![
                button(text("Hủy")).on_press(Message::Cancel).style(button::secondary),
                iced::widget::space().width(Length::Fill),
                button(text(action)).on_press(Message::Save),
            ]
            .spacing(8),
        );
        container(dialog).padding(20).width(560).style(container::bordered_box).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_browses_names_and_refuses_bad_names() {
        let dir = std::env::temp_dir().join(format!("vanthu-save-dialog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("Công văn")).unwrap();
        std::fs::create_dir_all(dir.join(".hidden")).unwrap();
        let mut d = SaveDialog::new(Job::ExportPdf { id: 3, to: None }, "van-ban-3.pdf".into());
        d.update(Message::Folder(dir.display().to_string()));
        assert_eq!(d.folders, ["Công văn"], "hidden folders are left out");
        d.update(Message::Into("Công văn".into()));
        assert_eq!(d.folder, dir.join("Công văn"));
        d.update(Message::Up);
        assert_eq!(d.folder, dir);
        d.update(Message::Name("a/b".into()));
        assert!(matches!(d.update(Message::Save), Outcome::Open));
        assert!(d.error.as_deref().unwrap().contains("không được chứa"));
        d.update(Message::Name("   ".into()));
        assert!(matches!(d.update(Message::Save), Outcome::Open));
        // The extension is added; an existing file asks a second click.
        d.update(Message::Name("ban-in".into()));
        match d.update(Message::Save) {
            Outcome::Run(Job::ExportPdf { id: 3, to: Some(to) }) => assert_eq!(to, dir.join("ban-in.pdf")),
            other => panic!("{other:?}"),
        }
        std::fs::write(dir.join("ban-in.pdf"), b"x").unwrap();
        assert!(matches!(d.update(Message::Save), Outcome::Open));
        assert!(d.overwrite, "the question is asked");
        assert!(matches!(d.update(Message::Save), Outcome::Open), "a second Lưu asks again");
        assert!(matches!(d.update(Message::Overwrite), Outcome::Run(_)), "the question's button replaces it");
        // A folder that does not exist is named.
        d.update(Message::Folder(dir.join("không-có").display().to_string()));
        assert!(matches!(d.update(Message::Save), Outcome::Open));
        assert!(d.error.as_deref().unwrap().contains("Không có thư mục"));
        assert!(matches!(d.update(Message::Cancel), Outcome::Cancelled));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Saving lists the folder: folders first, then the files, in Vietnamese order;
    /// a click on a file takes its name and saving over it asks first.
    #[test]
    fn saving_lists_the_folder_and_a_picked_file_asks_before_it_is_replaced() {
        let dir = std::env::temp_dir().join(format!("vanthu-save-list-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for folder in ["Đề án", "Dự án", "an"] {
            std::fs::create_dir_all(dir.join(folder)).unwrap();
        }
        for file in ["Đơn.pdf", "Danh sách.pdf", "ảnh.pdf", "ghi chú.txt"] {
            std::fs::write(dir.join(file), b"x").unwrap();
        }
        let mut d = SaveDialog::new(Job::ExportPdf { id: 3, to: None }, "van-ban-3.pdf".into());
        d.update(Message::Folder(dir.display().to_string()));
        assert_eq!(d.folders, ["an", "Dự án", "Đề án"], "D before Đ");
        assert_eq!(d.files, ["ảnh.pdf", "Danh sách.pdf", "Đơn.pdf"]);
        assert_eq!(d.others, ["ghi chú.txt"]);
        d.update(Message::Pick("Đơn.pdf".into()));
        assert_eq!(d.name, "Đơn.pdf");
        assert!(matches!(d.update(Message::Save), Outcome::Open));
        assert!(d.overwrite);
        match d.update(Message::Overwrite) {
            Outcome::Run(Job::ExportPdf { to: Some(to), .. }) => assert_eq!(to, dir.join("Đơn.pdf")),
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The signer's key file: only .p12 and .pfx files are offered (any case).
    #[test]
    fn the_key_file_dialog_offers_p12_and_pfx_files() {
        let dir = std::env::temp_dir().join(format!("vanthu-key-list-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for file in ["khoa.p12", "ca-nhan.PFX", "ghi chú.txt", "p12"] {
            std::fs::write(dir.join(file), b"x").unwrap();
        }
        let mut d = SaveDialog::new(Job::PickKeyFile { pkcs11: false, from: None }, String::new());
        d.update(Message::Folder(dir.display().to_string()));
        assert_eq!(d.files, ["ca-nhan.PFX", "khoa.p12"]);
        assert_eq!(d.others, ["ghi chú.txt", "p12"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
