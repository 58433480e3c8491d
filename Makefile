# Convenience targets; the README's two set-up commands do not need make.
.PHONY: package selftest test

package:
	pyinstaller --noconfirm --clean --log-level WARN studio.spec
	@du -sh dist/InkStudio

selftest: package
	cd / && env -i HOME=$$(mktemp -d) PATH=/usr/bin:/bin $(CURDIR)/dist/InkStudio/inkstudio --self-test

test:
	python -m pytest
