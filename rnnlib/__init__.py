"""rnnlib: the small library behind the book "Recurrent neural networks with TensorFlow".

- `rnnlib.data`: the data sets (`load_dataset`, `Dataset`)
- `rnnlib.model`: the networks (`build_model`, `ScratchLSTM`)
- `rnnlib.train`: the training loop (`train`) and its callbacks
- `rnnlib.recipes`: how the book trains (`CLASSIC`, `RECOMMENDED`, `run`, `train_classic`)
- `rnnlib.evaluate`: accuracy, predictions, confusion matrix
- `rnnlib.plots`: the book's pictures
- `rnnlib.sequences`, `rnnlib.wordlists`, `rnnlib.corpora`: Part IV's sequences and their data
- `rnnlib.demo`: what the in-page LSTM needs from Python
"""

__version__ = "0.1.0"
