;;; emacs.el --- Emacs (28+) with Eglot (1.9+) as the editor, in batch -*- lexical-binding: t -*-
;;
;; `emacs --batch -Q -l emacs.el`: opens $PEER_EMACS_FILE (a race and a
;; compile error) with `peer-tidy clangd' as Eglot's server, waits until
;; Flymake holds clangd's error and peer-tidy's warning, picks peer-tidy's
;; quick fix from `eglot-code-actions' as a user would, checks the buffer's
;; text, and waits for the warning to go while clangd's error stays.
;; Writes a transcript to $PEER_EMACS_OUT; exits non-zero on failure, after
;; at most $PEER_EMACS_TIMEOUT seconds (default 60) per step and twice that
;; in all, whatever hangs.

(require 'package)
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa")
      package-user-dir (expand-file-name "elpa" (getenv "HOME")))
(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'cl-lib)

(defvar peer-out (getenv "PEER_EMACS_OUT"))
(defvar peer-file (getenv "PEER_EMACS_FILE"))
(defvar peer-timeout (string-to-number (or (getenv "PEER_EMACS_TIMEOUT") "60")))
(with-temp-file peer-out) ; truncate

(defun peer-say (fmt &rest args)
  (let ((line (concat (apply #'format fmt args) "\n")))
    (write-region line nil peer-out 'append 'silent)))

(defun peer-finish (ok &optional why)
  (unless ok (peer-say "FAIL %s" why))
  (ignore-errors
    (let ((server (eglot-current-server)))
      (when server
        (let ((jsonrpc-default-request-timeout 10))
          (eglot-shutdown server)))))
  (kill-emacs (if ok 0 1)))

;; Whatever hangs (a request, the server, Emacs itself waiting), a timer
;; ends the run with a clear message.
(run-with-timer (* 2 peer-timeout) nil
                (lambda () (peer-finish nil "the whole run took too long")))

(defun peer-wait (what predicate)
  "Process input until PREDICATE holds, or fail naming WHAT."
  (let ((deadline (+ (float-time) peer-timeout)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (peer-finish nil (format "timed out waiting for %s; diagnostics: %S"
                                 what (peer-diagnostics))))
      (accept-process-output nil 0.05))))

(defun peer-diagnostics ()
  "Flymake's diagnostics in the buffer as (SOURCE LINE COL TEXT), sorted."
  (sort (mapcar (lambda (d)
                  (let* ((text (flymake-diagnostic-text d))
                         (beg (flymake-diagnostic-beg d)))
                    (list (car (split-string text "[ :]"))
                          (1- (line-number-at-pos beg))
                          (save-excursion (goto-char beg) (current-column))
                          text)))
                (flymake-diagnostics))
        (lambda (a b) (string< (nth 3 a) (nth 3 b)))))

(defun peer-from (source)
  (cl-remove-if-not (lambda (d) (equal (car d) source)) (peer-diagnostics)))

(condition-case err
    (progn
      (setq eglot-server-programs
            `((c++-mode . (,(getenv "PEER_TIDY") "clangd" "--log=error")))
            eglot-sync-connect peer-timeout
            eglot-connect-timeout peer-timeout
            eglot-send-changes-idle-time 0.1
            jsonrpc-default-request-timeout peer-timeout
            flymake-no-changes-timeout 0.1)
      (find-file peer-file)
      (unless (eq major-mode 'c++-mode)
        (peer-finish nil (format "%s opened in %s" peer-file major-mode)))
      (apply #'eglot (eglot--guess-contact))
      (unless (eglot-managed-p)
        (peer-finish nil "Eglot does not manage the buffer"))
      (flymake-start)

      ;; clangd's error and peer-tidy's warning, side by side.
      (peer-wait "clangd's error and peer-tidy's warning"
                 (lambda () (and (peer-from "clang") (peer-from "peer-tidy"))))
      (dolist (d (peer-diagnostics))
        (peer-say "DIAG %s %d:%d %s" (nth 0 d) (nth 1 d) (nth 2 d) (nth 3 d)))

      ;; The quick fix, as a user takes it: point on the warning,
      ;; M-x eglot-code-actions, pick peer-tidy's from the menu.
      (let* ((warning (car (peer-from "peer-tidy")))
             (offered nil))
        (goto-char (point-min))
        (forward-line (nth 1 warning))
        (forward-char (nth 2 warning))
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt collection &rest _)
                     (setq offered (mapcar #'car collection))
                     (or (cl-find-if (lambda (title)
                                       (string-prefix-p "peer-tidy" title))
                                     offered)
                         (peer-finish nil (format "no peer-tidy action among %S"
                                                  offered))))))
          ;; A keyboard event, not a mouse one: the menu is completing-read.
          (let ((last-nonmenu-event ?\r))
            (call-interactively #'eglot-code-actions)))
        (peer-say "OFFERED %s" (mapconcat #'identity offered " | ")))
      (let ((text (buffer-substring-no-properties (point-min) (point-max))))
        (unless (and (string-match-p "rt\\.monitor" text)
                     (< (string-match "rt\\.monitor" text)
                        (string-match "rt\\.call" text)))
          (peer-finish nil (format "the code action did not fix the race:\n%s"
                                   text)))
        (dolist (line (split-string text "\n"))
          (when (string-match-p "rt\\." line)
            (peer-say "LINE %s" line))))

      ;; The edited buffer is analysed again: the warning goes, the error
      ;; stays. Eglot sends the edit from an idle timer, and batch Emacs is
      ;; never idle: send it as that timer would.
      (eglot--signal-textDocument/didChange)
      (peer-wait "the warning to go while the error stays"
                 (lambda () (and (null (peer-from "peer-tidy"))
                                 (peer-from "clang"))))
      ;; (It goes at once, the edit having touched it; the analysis of the
      ;; fixed text, a moment later, must not bring it back.)
      (let ((until (+ (float-time) 3)))
        (while (< (float-time) until)
          (when (peer-from "peer-tidy")
            (peer-finish nil (format "the warning came back: %S"
                                     (peer-diagnostics))))
          (accept-process-output nil 0.05)))
      (peer-say "AFTER FIX: clang %d, peer-tidy 0" (length (peer-from "clang")))
      (set-buffer-modified-p nil)

      ;; The polite exit, waited for (Eglot 1.9's own shutdown kills the
      ;; server right after 'exit').
      (let ((server (eglot-current-server)))
        (setf (eglot--shutdown-requested server) t)
        (jsonrpc-request server :shutdown nil)
        (jsonrpc-notify server :exit nil)
        (peer-wait "the server to exit"
                   (lambda () (not (jsonrpc-running-p server))))
        (peer-say "EXIT %s %d"
                  (process-status (jsonrpc--process server))
                  (process-exit-status (jsonrpc--process server))))
      (peer-finish t))
  (error (peer-finish nil (format "%S" err))))
