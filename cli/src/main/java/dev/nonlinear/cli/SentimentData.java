package dev.nonlinear.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Short movie-review sentences labelled positive or negative, made by a seeded template grammar
 * (the data set the {@code sentiment} command ships), with the tokenizer and vocabulary that
 * turn them into indices.
 *
 * <p>A clause is {@code SUBJECT VERB [not] [INTENSIFIER] ADJECTIVE} ("the plot was not very
 * good"): positive when a positive adjective is not negated or a negative one is. A sentence is
 * one clause (half of them), two clauses of its polarity joined by "and" (a fifth), or a clause
 * of the opposite polarity, "but", and a clause of its own (the rest: "the plot was dull but the
 * acting was great" is positive). So the label depends on word order, not only on which words
 * occur: a bag of words cannot tell "the plot was good but the cast was bad" from "the cast was
 * bad but the plot was good".
 */
final class SentimentData {

  /** The index of the padding token; the Embedding's padding_idx. */
  static final int PAD = 0;

  /** The index of words the training set does not have. */
  static final int UNKNOWN = 1;

  static final String[] SUBJECTS = {"the movie", "this film", "the acting", "the plot",
      "the story", "the ending", "the music", "the cast", "the dialogue", "the script"};
  static final String[] VERBS = {"was", "is", "felt", "seemed"};
  static final String[] INTENSIFIERS = {"", "", "very", "really", "truly", "quite", "so"};
  static final String[] GOOD = {"good", "great", "wonderful", "brilliant", "enjoyable",
      "moving", "funny", "charming", "beautiful", "clever"};
  static final String[] BAD = {"bad", "awful", "boring", "dull", "terrible", "weak", "painful",
      "silly", "messy", "forgettable"};

  /** How often a clause is negated. */
  static final double NEGATION_RATE = 0.3;

  /** A sentence and its label. */
  record Example(String text, boolean positive) {}

  /** Training and held-out sentences: no sentence is in both. */
  record Split(List<Example> train, List<Example> test) {}

  private SentimentData() {}

  /**
   * {@code trainCount + testCount} different sentences from {@code seed}; the first
   * {@code trainCount} drawn are the training set.
   */
  static Split generate(long seed, int trainCount, int testCount) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<String> seen = new LinkedHashSet<>();
    List<Example> all = new ArrayList<>();
    while (all.size() < trainCount + testCount) {
      Example example = sentence(random);
      if (seen.add(example.text())) {
        all.add(example);
      }
    }
    return new Split(List.copyOf(all.subList(0, trainCount)),
        List.copyOf(all.subList(trainCount, all.size())));
  }

  private static Example sentence(SplittableRandom random) {
    boolean positive = random.nextBoolean();
    double form = random.nextDouble();
    String text;
    if (form < 0.5) {
      text = clause(random, positive);
    } else if (form < 0.7) {
      text = clause(random, positive) + " and " + clause(random, positive);
    } else {
      text = clause(random, !positive) + " but " + clause(random, positive);
    }
    return new Example(text, positive);
  }

  private static String clause(SplittableRandom random, boolean positive) {
    boolean negated = random.nextDouble() < NEGATION_RATE;
    String adjective = pick(random, positive != negated ? GOOD : BAD);
    String intensifier = pick(random, INTENSIFIERS);
    return pick(random, SUBJECTS) + " " + pick(random, VERBS) + (negated ? " not" : "")
        + (intensifier.isEmpty() ? "" : " " + intensifier) + " " + adjective;
  }

  private static String pick(SplittableRandom random, String[] words) {
    return words[random.nextInt(words.length)];
  }

  /** Lower-case words: runs of letters and apostrophes; everything else separates. */
  static List<String> tokens(String text) {
    List<String> words = new ArrayList<>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z']+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  /** Word indices: 0 padding, 1 unknown, then the training words in order of appearance. */
  static final class Vocabulary {

    private final Map<String, Integer> ids;

    private Vocabulary(Map<String, Integer> ids) {
      this.ids = ids;
    }

    static Vocabulary of(List<Example> examples) {
      Map<String, Integer> ids = new LinkedHashMap<>();
      ids.put("<pad>", PAD);
      ids.put("<unk>", UNKNOWN);
      for (Example example : examples) {
        for (String word : tokens(example.text())) {
          ids.putIfAbsent(word, ids.size());
        }
      }
      return new Vocabulary(Collections.unmodifiableMap(ids));
    }

    /** The number of indices, padding and unknown included. */
    int size() {
      return ids.size();
    }

    /** The index of {@code word}, or {@link #UNKNOWN}. */
    int id(String word) {
      return ids.getOrDefault(word, UNKNOWN);
    }

    boolean knows(String word) {
      return ids.containsKey(word);
    }
  }
}
