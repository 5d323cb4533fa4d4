"""Language data of the content packs: hunspell dictionaries and lemmas."""
