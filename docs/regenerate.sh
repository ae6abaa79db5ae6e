#!/usr/bin/env bash
# Regenerates the README's pictures (docs/*.png, docs/gallery/) from the example decks, after a
# change that moves pixels. Look at them before committing: they are what a reader sees first.
# docs/composition-before.png shows the code before the type scale and is not regenerated.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cardgen gallery -o docs/gallery
for deck in negativity photostocks showcase habits-en; do
  cardgen preview "decks/$deck.yaml" -o "docs/$deck.png" --html "$scratch/$deck.html" --width 300
done
cardgen preview decks/sparse.yaml -o docs/composition-after.png --html "$scratch/sparse.html" --columns 7 --width 270
cp tests/fixtures/posts/stress-at-work.txt "$scratch/stress-at-work.txt"
cardgen import "$scratch/stress-at-work.txt" -o "$scratch/stress.yaml"
cardgen preview "$scratch/stress.yaml" -o docs/import-example.png --html "$scratch/stress.html" --columns 5 --width 300
