"""Programme workbooks: the layout shared by the template writer and the reader."""
