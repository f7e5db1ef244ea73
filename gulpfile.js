// Build steps around `tsc`: clean `dist/` first, then copy the node and credential icons, which
// tsc does not emit, next to the compiled files that reference them.
const fs = require('node:fs');
const { src, dest } = require('gulp');

function clean(done) {
	fs.rmSync('dist', { recursive: true, force: true });
	done();
}

function buildIcons() {
	return src(['icons/*.{png,svg}', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:icons'] = buildIcons;
